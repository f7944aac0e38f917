// `node bench/first-cell-only.mjs`: the page's first-cell bench alone, after `npm run build` (npm run bench runs every bench).
import { firstCellBench } from './page.mjs';

console.log(`\n## ${firstCellBench.title}`);
for (const line of await firstCellBench.run()) console.log(line);
