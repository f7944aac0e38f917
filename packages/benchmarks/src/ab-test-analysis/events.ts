import { z } from 'zod';
import type { TableColumn } from '../definition.js';

/** Event types the Pineapple Finder game records. */
export const EVENT_TYPES = [
  'puzzle_started',
  'puzzle_completed',
  'puzzle_failed',
  'puzzle_repeated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * One row of `posthog_events`, strict: a column the benchmark does not know is an error, never dropped, exactly as PostgREST returns it for `select=*`.
 * `timestamp` is rendered the way PostgREST renders timestamptz (e.g. `2026-10-01T09:15:02.123+00:00`).
 * Rows from real tables may carry event names we do not know, so `event` is a plain string.
 */
export const EventRowSchema = z.strictObject({
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
export type EventRow = z.infer<typeof EventRowSchema>;
export const EventRowsSchema = z.array(EventRowSchema);

/** Column order of the table, as created by the seed SQL. */
export const EVENT_COLUMNS = [
  'id',
  'event',
  'distinct_id',
  'session_id',
  'timestamp',
  'variant',
  'feature_flag_response',
  'completion_time_seconds',
  'correct_words_count',
  'total_guesses_count',
] as const satisfies readonly (keyof EventRow)[];

/** The table's columns with their PostgreSQL types, in order (JSON keys, CSV header, SQL, endpoint). */
export const EVENT_TABLE_COLUMNS: TableColumn[] = [
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

/** The benchmark's table for the dataset formats: `posthog_events` with the columns above. */
export const AB_TEST_TABLE = { name: 'posthog_events', columns: EVENT_TABLE_COLUMNS } as const;
