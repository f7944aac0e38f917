// Searches seeds of a scenario for datasets whose figures meet that scenario's targets, and
// prints each hit. How the committed default seeds were chosen:
//   npm run build -w @localds/benchmarks
//   node packages/benchmarks/scripts/search-seeds.mjs canonical 1 200000
import { generateDataset } from '../../../dist/index.js';
import { figures } from './figures.mjs';

const within = (x, target, tolerance) => Math.abs(x - target) <= tolerance;

/** What each scenario must show on its default seed (canonical: the article's reference figures). */
const targets = {
  canonical: (f) =>
    f.rows < 1000 &&
    within(f.completionRate[0], 0.889, 0.01) &&
    within(f.completionRate[1], 0.707, 0.01) &&
    within(f.mean[0], 5.7, 0.2) &&
    within(f.mean[1], 8.9, 0.2) &&
    f.p >= 0.0004 &&
    f.p <= 0.0008 &&
    within(f.d, 0.4, 0.03) &&
    f.srmP > 0.05 &&
    within(f.sessionRate[0], 0.956, 0.015) &&
    within(f.sessionRate[1], 0.965, 0.015) &&
    f.status === 'significant' &&
    f.recommended === 'A',
  'b-wins': (f) =>
    f.status === 'significant' && f.recommended === 'B' && f.p < 0.01 && f.srmP > 0.05,
  'no-effect': (f) => f.status === 'not_significant' && f.p > 0.2 && f.srmP > 0.05,
  srm: (f) => f.status === 'inconclusive' && f.srmP < 0.001,
  'guardrail-blocks': (f) =>
    f.status === 'significant' &&
    f.srmP > 0.05 &&
    f.p < 0.01 &&
    ((f.mean[1] < f.mean[0] && f.recommended === 'A') ||
      (f.mean[0] < f.mean[1] && f.recommended === 'B')),
  'large-paginated': (f) =>
    f.rows >= 3000 && f.rows <= 6000 && f.status === 'significant' && f.srmP > 0.05,
};

const [scenario = 'canonical', from = '1', to = '1000', limit = '5'] = process.argv.slice(2);
const accept = targets[scenario];
if (!accept) throw new Error(`unknown scenario ${scenario}`);
let hits = 0;
for (let seed = Number(from); seed <= Number(to) && hits < Number(limit); seed++) {
  const f = figures(generateDataset(scenario, seed));
  if (accept(f)) {
    hits++;
    const { n, mean, sd, p, d, completionRate, sessionRate, srmP, rows, status, recommended } = f;
    console.log(
      JSON.stringify({
        seed,
        rows,
        n,
        mean,
        sd,
        p,
        d,
        completionRate,
        sessionRate,
        srmP,
        status,
        recommended,
      }),
    );
  }
}
