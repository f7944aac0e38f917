// Searches seeds of an anomaly-days scenario for datasets whose oracle flags exactly the planted days
// (none in quiet), and prints each hit. How the committed default seeds were chosen:
//   npm run build -w @localds/benchmarks
//   node packages/benchmarks/src/anomaly-days/scripts/search-seeds.mjs canonical 1 50
import { computeAnomalyOracle } from '../../../dist/anomaly-days/oracle.js';
import { generateAnomalyEvents } from '../../../dist/anomaly-days/generator.js';
import { scenarios } from '../../../dist/anomaly-days/scenarios.js';

const [scenario = 'canonical', from = '1', to = '50'] = process.argv.slice(2);
const params = scenarios[scenario];
if (!params) throw new Error(`unknown scenario ${scenario}`);
const dateOf = (day) =>
  new Date(Date.parse(`${params.startDate}T00:00:00Z`) + day * 86_400_000)
    .toISOString()
    .slice(0, 10);
const planted = [
  params.outage && `${dateOf(params.outage.day)}:drop`,
  params.holiday && `${dateOf(params.holiday.day)}:spike`,
]
  .filter(Boolean)
  .sort();
for (let seed = Number(from); seed <= Number(to); seed++) {
  const rows = generateAnomalyEvents(params, seed);
  const oracle = computeAnomalyOracle(rows);
  const flagged = oracle.anomalies.map((a) => `${a.date}:${a.type}`);
  // The planted days are clearly anomalous (|r| ≥ 0.5), and nothing else is.
  const clear = oracle.anomalies.every((a) => Math.abs(a.ratio) >= 0.5);
  const botOk = params.bot ? oracle.bot_ids.length === 1 : oracle.bot_ids.length === 0;
  if (JSON.stringify(flagged) === JSON.stringify(planted) && clear && botOk) {
    console.log(
      JSON.stringify({ seed, rows: rows.length, ...oracle.raw_stats, anomalies: oracle.anomalies }),
    );
  }
}
