import { z } from 'zod';
import { EVENT_COLUMNS, EventRowSchema } from './events.js';
import { TABLE_COLUMNS_SQL } from './dataset-format.js';

/**
 * The table of the segment benchmarks: `posthog_events` as the A/B benchmark has it, plus `platform`
 * ("mobile", "desktop" or null). Shared by `launch-segments` and `anomaly-days`.
 */
export const SegmentEventRowSchema = EventRowSchema.extend({ platform: z.string().nullable() });
export type SegmentEventRow = z.infer<typeof SegmentEventRowSchema>;
export const SegmentEventRowsSchema = z.array(SegmentEventRowSchema);

/** Columns in table order with their PostgreSQL types (JSON key order, CSV header, `create table`). */
export const SEGMENT_COLUMNS: readonly { name: keyof SegmentEventRow; sql: string }[] = [
  ...EVENT_COLUMNS.map((name) => ({
    name,
    sql: TABLE_COLUMNS_SQL[name].replace(' primary key', ''),
  })),
  { name: 'platform', sql: 'text' },
];
