/** Loads the pandas parity fixtures written by scripts/generate_fixtures.py. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SegmentEventRowsSchema, type SegmentEventRow } from '../../segment-events.js';
import { generateAnomalyDataset } from '../generator.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

const common = {
  generator: z.object({ script: z.string(), python: z.string().min(1), pandas: z.string().min(1) }),
  expected: z.record(z.string(), z.unknown()),
};
const RandomSchema = z.object({
  kind: z.literal('random'),
  name: z.string(),
  description: z.string(),
  rows: SegmentEventRowsSchema,
  ...common,
});
const ScenarioSchema = z.object({
  kind: z.literal('scenario'),
  scenario: z.string(),
  seed: z.number().int(),
  rows_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rows_count: z.number().int(),
  wrong: z.record(z.string(), z.unknown()),
  ...common,
});

export interface AnomalyFixture {
  file: string;
  name: string;
  expected: Record<string, unknown>;
  wrong?: Record<string, unknown>;
  rows: () => SegmentEventRow[];
}

const files = (dir: string): string[] =>
  readdirSync(join(FIXTURES, dir))
    .filter((f) => f.endsWith('.json'))
    .sort();
const read = (dir: string, file: string): unknown =>
  JSON.parse(readFileSync(join(FIXTURES, dir, file), 'utf8'));

export function randomFixtures(): AnomalyFixture[] {
  return files('random').map((file) => {
    const f = RandomSchema.parse(read('random', file));
    return { file: `random/${file}`, name: f.name, expected: f.expected, rows: () => f.rows };
  });
}

/** Scenario fixtures; their rows are regenerated and must hash to what the fixture was computed from. */
export function scenarioFixtures(): (AnomalyFixture & { scenario: string; seed: number })[] {
  return files('scenarios').map((file) => {
    const f = ScenarioSchema.parse(read('scenarios', file));
    return {
      file: `scenarios/${file}`,
      name: f.scenario,
      scenario: f.scenario,
      seed: f.seed,
      expected: f.expected,
      wrong: f.wrong,
      rows: () => {
        const rows = generateAnomalyDataset(f.scenario, f.seed);
        const hash = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
        if (hash !== f.rows_sha256) {
          throw new Error(
            `${file}: the generator's rows no longer hash to the fixture's; regenerate the fixtures (scripts/generate_fixtures.py)`,
          );
        }
        return rows;
      },
    };
  });
}
