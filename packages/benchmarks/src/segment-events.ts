import { createRandom } from '@localds/scorer';
import { z } from 'zod';
import type { TableColumn } from './definition.js';
import { EVENT_TABLE_COLUMNS, EventRowSchema } from './ab-test-analysis/events.js';

/**
 * The table of the segment benchmarks: `posthog_events` as the A/B benchmark has it, plus `platform`
 * ("mobile", "desktop" or null). Shared by `launch-segments` and `anomaly-days`.
 */
export const SegmentEventRowSchema = EventRowSchema.extend({ platform: z.string().nullable() });
export type SegmentEventRow = z.infer<typeof SegmentEventRowSchema>;
export const SegmentEventRowsSchema = z.array(SegmentEventRowSchema);

/** Columns in table order with their PostgreSQL types (JSON key order, CSV header, `create table`). */
export const SEGMENT_TABLE_COLUMNS: TableColumn[] = [
  ...EVENT_TABLE_COLUMNS,
  { name: 'platform', sql: 'text' },
];

/** The benchmarks' table for the dataset formats and the endpoints. */
export const SEGMENT_TABLE = { name: 'posthog_events', columns: SEGMENT_TABLE_COLUMNS } as const;

/** Share of sessions a counterfactual resample keeps. */
const KEEP = 0.8;

/**
 * A resample that keeps or drops whole sessions (rows without a session are kept), seeded; ids and
 * order unchanged, so paging reads it as it read the original.
 */
export function sessionSubsample(
  rows: readonly SegmentEventRow[],
  seed: number,
): SegmentEventRow[] {
  const random = createRandom(seed);
  const keep = new Map<string, boolean>();
  return rows.filter((row) => {
    if (row.session_id === null) return true;
    let kept = keep.get(row.session_id);
    if (kept === undefined) keep.set(row.session_id, (kept = random.uniform() < KEEP));
    return kept;
  });
}
