/**
 * The table this benchmark reads: the same `posthog_events` columns as the A/B benchmark (the issue
 * asks for them), in table order with their PostgreSQL types, and the zod schema of one row.
 */
import { TABLE_COLUMNS_SQL } from '../dataset-format.js';
import { EVENT_COLUMNS, EventRowSchema } from '../events.js';

type SqlType = 'bigint' | 'integer' | 'double precision' | 'text' | 'timestamptz' | 'boolean';

/** `bigint primary key` → `bigint`: the type without its constraint. */
const typeOf = (column: (typeof EVENT_COLUMNS)[number]) =>
  TABLE_COLUMNS_SQL[column].replace(/ primary key$/, '') as SqlType;

export const retentionColumns = EVENT_COLUMNS.map((name) => ({ name, sql: typeOf(name) }));

export const RetentionRowSchema = EventRowSchema;
