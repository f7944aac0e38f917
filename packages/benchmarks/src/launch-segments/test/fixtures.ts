/** Loads the SciPy/statsmodels parity fixtures written by scripts/generate_fixtures.py. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SegmentEventRowsSchema, type SegmentEventRow } from '../../segment-events.js';
import { generateLaunchDataset } from '../generator.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

const GeneratorSchema = z.object({
  script: z.string(),
  python: z.string().min(1),
  scipy: z.string().min(1),
  statsmodels: z.string().min(1),
});
const common = { generator: GeneratorSchema, expected: z.record(z.string(), z.unknown()) };
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
  ...common,
});

export interface LaunchFixture {
  file: string;
  name: string;
  expected: Record<string, unknown>;
  rows: () => SegmentEventRow[];
}

const files = (dir: string): string[] =>
  readdirSync(join(FIXTURES, dir))
    .filter((f) => f.endsWith('.json'))
    .sort();
const read = (dir: string, file: string): unknown =>
  JSON.parse(readFileSync(join(FIXTURES, dir, file), 'utf8'));

export function randomFixtures(): LaunchFixture[] {
  return files('random').map((file) => {
    const f = RandomSchema.parse(read('random', file));
    return { file: `random/${file}`, name: f.name, expected: f.expected, rows: () => f.rows };
  });
}

/** Scenario fixtures; their rows are regenerated and must hash to what the fixture was computed from. */
export function scenarioFixtures(): (LaunchFixture & { scenario: string; seed: number })[] {
  return files('scenarios').map((file) => {
    const f = ScenarioSchema.parse(read('scenarios', file));
    return {
      file: `scenarios/${file}`,
      name: f.scenario,
      scenario: f.scenario,
      seed: f.seed,
      expected: f.expected,
      rows: () => {
        const rows = generateLaunchDataset(f.scenario, f.seed);
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

/** |actual − expected| ≤ 1e-9·|expected| + 1e-12 (the floor absorbs statsmodels' 1 − cdf near 0). */
export function closeTo(actual: number | null, expected: number | null): boolean {
  if (actual === null || expected === null) return actual === expected;
  return Math.abs(actual - expected) <= 1e-9 * Math.abs(expected) + 1e-12;
}
