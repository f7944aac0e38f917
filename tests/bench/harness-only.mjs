// `node bench/harness-only.mjs`: the harness bench alone (npm run bench runs every bench).
import { harnessBench } from './harness.mjs';

console.log(`\n## ${harnessBench.title}`);
for (const line of await harnessBench.run()) console.log(line);
