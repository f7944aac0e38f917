import { z } from 'zod';

/** Event types the Pineapple Finder game records. */
export const EVENT_TYPES = [
  'puzzle_started',
  'puzzle_completed',
  'puzzle_failed',
  'puzzle_repeated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * One row of `posthog_events`, exactly as PostgREST returns it for `select=*`.
 * `timestamp` is rendered the way PostgREST renders timestamptz (e.g. `2026-10-01T09:15:02.123+00:00`).
 * Rows from real tables may carry event names we do not know, so `event` is a plain string.
 */
export const EventRowSchema = z.object({
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
