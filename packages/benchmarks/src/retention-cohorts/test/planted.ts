/** Loads fixtures/planted: raw_stats that runs making each usual mistake report (from pandas). */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { toJson } from '../../dataset-format.js';
import { RETENTION_TABLE, type RetentionRow as EventRow } from '../events.js';
import { RETENTION_DIAGNOSTIC_IDS } from '../diagnostics.js';
import { generateRetentionDataset } from '../generator.js';
import { RETENTION_SCENARIO_NAMES } from '../scenarios.js';

const DIR = fileURLToPath(new URL('../fixtures/planted/', import.meta.url));

const PlantedSchema = z.object({
  kind: z.literal('planted'),
  scenario: z.enum(RETENTION_SCENARIO_NAMES),
  rows_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  raw_stats: z.record(
    z.enum(RETENTION_DIAGNOSTIC_IDS),
    z.record(z.string(), z.number().nullable()),
  ),
});

export interface PlantedScenario {
  scenario: string;
  rows: EventRow[];
  rawStats: Partial<
    Record<(typeof RETENTION_DIAGNOSTIC_IDS)[number], Record<string, number | null>>
  >;
}

export function plantedScenarios(): PlantedScenario[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const f = PlantedSchema.parse(JSON.parse(readFileSync(`${DIR}${file}`, 'utf8')));
      const rows = generateRetentionDataset(f.scenario);
      const sha = createHash('sha256').update(toJson(rows, RETENTION_TABLE)).digest('hex');
      if (sha !== f.rows_sha256)
        throw new Error(`${file}: the generator's rows changed; regenerate the fixtures`);
      return { scenario: f.scenario, rows, rawStats: f.raw_stats };
    });
}
