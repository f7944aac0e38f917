/** Loads the parity fixtures written by scripts/generate_fixtures.py (SciPy/statsmodels values). */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { toJson } from '../../dataset-format.js';
import {
  RetentionRowsSchema as EventRowsSchema,
  RETENTION_TABLE,
  type RetentionRow as EventRow,
} from '../events.js';
import { generateRetentionDataset } from '../generator.js';
import { isRetentionScenarioName } from '../scenarios.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/oracle/', import.meta.url));

const GeneratorSchema = z.object({
  script: z.string(),
  python: z.string().min(1),
  numpy: z.string().min(1),
  pandas: z.string().min(1),
  scipy: z.string().min(1),
  statsmodels: z.string().min(1),
});
const Expected = z.record(z.string(), z.unknown());
const RandomSchema = z.object({
  kind: z.literal('random'),
  name: z.string(),
  description: z.string(),
  rows: EventRowsSchema,
  generator: GeneratorSchema,
  expected: Expected,
});
const ScenarioSchema = z.object({
  kind: z.literal('scenario'),
  scenario: z.string(),
  rows_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rows_count: z.number().int(),
  generator: GeneratorSchema,
  expected: Expected,
});

export interface ParityFixture {
  file: string;
  name: string;
  description: string;
  expected: Record<string, unknown>;
  rows: () => EventRow[];
}

const list = (dir: string) =>
  readdirSync(join(FIXTURES, dir))
    .filter((f) => f.endsWith('.json'))
    .sort();
const read = (dir: string, file: string): unknown =>
  JSON.parse(readFileSync(join(FIXTURES, dir, file), 'utf8'));

export function randomFixtures(): ParityFixture[] {
  return list('random').map((file) => {
    const f = RandomSchema.parse(read('random', file));
    return {
      file: `random/${file}`,
      name: f.name,
      description: f.description,
      expected: f.expected,
      rows: () => f.rows,
    };
  });
}

export function scenarioFixtures(): ParityFixture[] {
  return list('scenarios').map((file) => {
    const f = ScenarioSchema.parse(read('scenarios', file));
    if (!isRetentionScenarioName(f.scenario))
      throw new Error(`${file}: unknown scenario ${f.scenario}`);
    const scenario = f.scenario;
    return {
      file: `scenarios/${file}`,
      name: scenario,
      description: `scenario ${scenario} at its default seed`,
      expected: f.expected,
      rows: () => {
        const rows = generateRetentionDataset(scenario);
        const sha = createHash('sha256').update(toJson(rows, RETENTION_TABLE)).digest('hex');
        if (sha !== f.rows_sha256 || rows.length !== f.rows_count) {
          throw new Error(
            `${file}: the generator's rows changed (sha256 ${sha.slice(0, 12)}…, ${rows.length} rows); regenerate the fixtures with scripts/generate_fixtures.py`,
          );
        }
        return rows;
      },
    };
  });
}
