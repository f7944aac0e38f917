// Prints a launch-segments scenario's rows as JSON (JSON.stringify of the row array), for the fixture
// generator. Run after `npm run build -w @localds/benchmarks`:
//   node packages/benchmarks/src/launch-segments/scripts/export-rows.mjs canonical [seed]
import { generateLaunchDataset } from '../../../dist/launch-segments/generator.js';

const [scenario, seed] = process.argv.slice(2);
if (!scenario) {
  console.error('usage: export-rows.mjs <scenario> [seed]');
  process.exit(2);
}
process.stdout.write(
  JSON.stringify(generateLaunchDataset(scenario, seed === undefined ? undefined : Number(seed))),
);
