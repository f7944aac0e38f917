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
export const SEGMENT_TABLE_COLUMNS: TableColumn[] = [...EVENT_TABLE_COLUMNS, { name: 'platform', sql: 'text' }];

/** The benchmarks' table for the dataset formats and the endpoints. */
export const SEGMENT_TABLE = { name: 'posthog_events', columns: SEGMENT_TABLE_COLUMNS } as const;
