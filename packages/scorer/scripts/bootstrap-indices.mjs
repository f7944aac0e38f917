#!/usr/bin/env node
// The TypeScript side's bootstrap draws for the SciPy fixtures: reads [{n, resamples, seed}] as JSON
// on stdin and writes, for each, the resample indices that bootstrapIndices (src/score-stats) makes.
// (The module is its own entry point, @localds/scorer/score-stats, to stay out of the page's first load.)
// Called by generate_score_stats_fixtures.py after `npm run build -w @localds/scorer`.
import { bootstrapIndices } from '../dist/score-stats/index.js';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const requests = JSON.parse(input);
const out = requests.map(({ n, resamples, seed }) =>
  Array.from(bootstrapIndices(n, resamples, seed)),
);
process.stdout.write(JSON.stringify(out));
