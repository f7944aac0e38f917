// `npm run bench`: performance figures, each as a ratio against a baseline measured in the
// same run on the same machine (absolute seconds vary too much between machines to mean much).
import { benchmarksBench } from './benchmarks.mjs';
import { oracleBench } from './oracle.mjs';
import { harnessBench } from './harness.mjs';
import { firstCellBench, pageBench } from './page.mjs';
import { ratingsBench } from './ratings.mjs';
import { reportBench } from './report.mjs';
import { sweepBench } from './sweep.mjs';

const benches = [
  benchmarksBench,
  oracleBench,
  pageBench,
  firstCellBench,
  harnessBench,
  reportBench,
  sweepBench,
  ratingsBench,
];

for (const bench of benches) {
  console.log(`\n## ${bench.title}`);
  const lines = await bench.run();
  for (const line of lines) console.log(line);
}
