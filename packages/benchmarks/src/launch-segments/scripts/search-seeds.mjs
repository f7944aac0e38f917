// Searches seeds of a launch-segments scenario for datasets whose oracle shows what the scenario's
// name says, and prints each hit. How the committed default seeds were chosen:
//   npm run build -w @localds/benchmarks
//   node packages/benchmarks/src/launch-segments/scripts/search-seeds.mjs canonical 1 200
import { computeLaunchOracle } from '../../../dist/launch-segments/oracle.js';
import { generateLaunchEvents } from '../../../dist/launch-segments/generator.js';
import { scenarios } from '../../../dist/launch-segments/scenarios.js';

const falls = (s, p) => s[`rate_after_${p}`] < s[`rate_before_${p}`];
const rises = (s, p) => s[`rate_after_${p}`] > s[`rate_before_${p}`];
const pooledRises = (s) => s.pooled_rate_after > s.pooled_rate_before;

/** What each scenario must show on its default seed. */
const targets = {
  // The paradox: pooled rises significantly, each platform falls, the CMH test says worse.
  canonical: (o, s) =>
    o.recommendation === 'roll_back' &&
    s.cmh_p_value < 0.01 &&
    pooledRises(s) &&
    s.pooled_p_value < 0.01 &&
    falls(s, 'mobile') &&
    falls(s, 'desktop'),
  'true-gain': (o, s) =>
    o.recommendation === 'keep' &&
    s.cmh_p_value < 0.01 &&
    pooledRises(s) &&
    rises(s, 'mobile') &&
    rises(s, 'desktop'),
  // The mix alone moves the pooled rate: pooled significant, stratified clearly not.
  'no-change': (o, s) =>
    o.status === 'not_significant' &&
    s.cmh_p_value > 0.3 &&
    pooledRises(s) &&
    s.pooled_p_value < 0.05,
  'large-paginated': (o, s) =>
    o.recommendation === 'roll_back' &&
    s.cmh_p_value < 0.01 &&
    pooledRises(s) &&
    s.pooled_p_value < 0.01 &&
    falls(s, 'mobile') &&
    falls(s, 'desktop'),
};

const [scenario = 'canonical', from = '1', to = '50'] = process.argv.slice(2);
const params = scenarios[scenario];
if (!params) throw new Error(`unknown scenario ${scenario}`);
for (let seed = Number(from); seed <= Number(to); seed++) {
  const rows = generateLaunchEvents(params, seed);
  const oracle = computeLaunchOracle(rows);
  const s = oracle.raw_stats;
  if (targets[scenario](oracle, s)) {
    console.log(JSON.stringify({ seed, rows: rows.length, ...s }));
  }
}
