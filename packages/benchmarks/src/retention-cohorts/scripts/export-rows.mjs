#!/usr/bin/env node
// Prints a scenario's rows as PostgREST JSON (one row per line), for scripts/generate_fixtures.py and
// the reference solution. Usage: node export-rows.mjs <scenario> [seed]  (after the package is built)
import { toJson } from '../../../dist/dataset-format.js';
import { RETENTION_TABLE } from '../../../dist/retention-cohorts/events.js';
import { generateRetentionDataset } from '../../../dist/retention-cohorts/generator.js';

const [scenario, seed] = process.argv.slice(2);
if (!scenario) {
  console.error('usage: export-rows.mjs <scenario> [seed]');
  process.exit(2);
}
const rows = generateRetentionDataset(scenario, seed === undefined ? undefined : Number(seed));
process.stdout.write(toJson(rows, RETENTION_TABLE));
