import { z } from 'zod';
import type { TableColumn } from '../definition.js';

/**
 * This benchmark's table: the same `posthog_events` columns and event names as the A/B benchmark (the
 * issue asks for them), declared here so the benchmark stays one folder. A row is strict, exactly as
 * PostgREST returns it for `select=*`; `event` is a plain string, since real tables carry other names.
 */
export const RETENTION_EVENT_TYPES = [
  'puzzle_started',
  'puzzle_completed',
  'puzzle_failed',
  'puzzle_repeated',
] as const;
export type RetentionEventType = (typeof RETENTION_EVENT_TYPES)[number];

export const RetentionRowSchema = z.strictObject({
  id: z.number().int(),
  event: z.string(),
  distinct_id: z.string().nullable(),
  session_id: z.string().nullable(),
  timestamp: z.string(),
  variant: z.string().nullable(),
  feature_flag_response: z.string().nullable(),
  completion_time_seconds: z.number().nullable(),
  correct_words_count: z.number().int().nullable(),
  total_guesses_count: z.number().int().nullable(),
});
export type RetentionRow = z.infer<typeof RetentionRowSchema>;
export const RetentionRowsSchema = z.array(RetentionRowSchema);

/** The columns with their PostgreSQL types, in table order (JSON keys, CSV header, SQL, endpoint). */
export const RETENTION_TABLE_COLUMNS: TableColumn[] = [
  { name: 'id', sql: 'bigint', primaryKey: true },
  { name: 'event', sql: 'text' },
  { name: 'distinct_id', sql: 'text' },
  { name: 'session_id', sql: 'text' },
  { name: 'timestamp', sql: 'timestamptz' },
  { name: 'variant', sql: 'text' },
  { name: 'feature_flag_response', sql: 'text' },
  { name: 'completion_time_seconds', sql: 'double precision' },
  { name: 'correct_words_count', sql: 'integer' },
  { name: 'total_guesses_count', sql: 'integer' },
];

export const RETENTION_TABLE = {
  name: 'posthog_events',
  columns: RETENTION_TABLE_COLUMNS,
} as const;

/** Supabase answers at most this many rows per request unless the project raises the cap. */
export const RETENTION_MAX_ROWS_PER_REQUEST = 1000;
