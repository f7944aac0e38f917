/** Loads the SciPy parity fixtures written by scripts/generate_oracle_fixtures.py. */
import { AB_TEST_TABLE } from '../../index.js';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  EventRowsSchema,
  generateDataset,
  isScenarioName,
  toJson,
  type EventRow,
} from '../../index.js';
import { z } from 'zod';

const FIXTURES = fileURLToPath(new URL('../fixtures/oracle/', import.meta.url));

const GeneratorSchema = z.object({
  script: z.string(),
  python: z.string().min(1),
  python_version: z.string().min(1),
  numpy: z.string().min(1),
  scipy: z.string().min(1),
});

/** Expected values: the Oracle's field names, numbers or null where SciPy does not define them. */
export type Expected = { [field: string]: number | string | null | string[] | Expected };

const common = {
  generator: GeneratorSchema,
  expected: z.record(z.string(), z.unknown()).transform((e) => e as Expected),
};
const RandomFixtureSchema = z.object({
  kind: z.literal('random'),
  name: z.string(),
  description: z.string(),
  rows: EventRowsSchema,
  ...common,
});
const ScenarioFixtureSchema = z.object({
  kind: z.literal('scenario'),
  scenario: z.string(),
  seed: z.number().int(),
  rows_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rows_count: z.number().int(),
  ...common,
});

export interface OracleFixture {
  file: string;
  name: string;
  generator: z.infer<typeof GeneratorSchema>;
  expected: Expected;
  /** The rows the expected values were computed from (regenerated and hash-checked for scenarios). */
  rows: () => EventRow[];
}

function readJson(dir: string, file: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, dir, file), 'utf8'));
}

function files(dir: string): string[] {
  return readdirSync(join(FIXTURES, dir))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function randomFixtures(): OracleFixture[] {
  return files('random').map((file) => {
    const f = RandomFixtureSchema.parse(readJson('random', file));
    return {
      file: `random/${file}`,
      name: f.name,
      generator: f.generator,
      expected: f.expected,
      rows: () => f.rows,
    };
  });
}

export function scenarioFixtures(): (OracleFixture & { scenario: string; seed: number })[] {
  return files('scenarios').map((file) => {
    const f = ScenarioFixtureSchema.parse(readJson('scenarios', file));
    const rows = (): EventRow[] => {
      if (!isScenarioName(f.scenario))
        throw new Error(`${file}: unknown scenario ${f.scenario}; regenerate fixtures`);
      const generated = generateDataset(f.scenario, f.seed);
      const hash = createHash('sha256').update(toJson(generated, AB_TEST_TABLE)).digest('hex');
      if (hash !== f.rows_sha256) {
        throw new Error(
          `${file}: the generator's rows for ${f.scenario} seed ${f.seed} changed (sha256 ${hash}, fixture ${f.rows_sha256}); ` +
            'regenerate fixtures: npm run fixtures:oracle -w @localds/scorer',
        );
      }
      return generated;
    };
    return {
      file: `scenarios/${file}`,
      name: f.scenario,
      scenario: f.scenario,
      seed: f.seed,
      generator: f.generator,
      expected: f.expected,
      rows,
    };
  });
}

/** Agreement rule: 1e-9 relative or 1e-300 absolute, whichever is looser. */
export function closeEnough(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= Math.max(1e-9 * Math.abs(expected), 1e-300);
}
