import { EVENT_COLUMNS, type EventRow } from './events.js';

/**
 * Serialisers for event rows. Isomorphic (no Node APIs) and deterministic: the same rows always
 * give the same bytes.
 */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Renders an instant the way PostgreSQL 15's `to_json` renders a timestamptz under TimeZone UTC,
 * which is what PostgREST sends: `2026-10-01T09:15:02.123+00:00`, trailing zeros of the fraction
 * trimmed (`.12`, nothing when zero). Milliseconds are the finest unit a JS number keeps exactly.
 */
export function formatTimestamptz(epochMs: number): string {
  if (!Number.isInteger(epochMs))
    throw new RangeError(`timestamp must be whole milliseconds, got ${epochMs}`);
  const d = new Date(epochMs);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999) {
    throw new RangeError(`timestamp out of range: ${epochMs}`);
  }
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const fraction = pad(d.getUTCMilliseconds(), 3).replace(/0+$/, '');
  return `${date}T${time}${fraction ? `.${fraction}` : ''}+00:00`;
}

function assertFinite(value: number, column: string, id: number): void {
  if (!Number.isFinite(value))
    throw new RangeError(`row ${id}: ${column} is not finite (${value})`);
}

/**
 * JSON as PostgREST returns `select=*&order=id`: an array of objects, keys in table column order.
 * One row per line so a committed snapshot diffs readably; parsed, it equals PostgREST's body.
 */
export function toJson(rows: readonly EventRow[]): string {
  if (rows.length === 0) return '[]\n';
  const lines = rows.map((row) => {
    const ordered: Record<string, unknown> = {};
    for (const column of EVENT_COLUMNS) {
      const value = row[column];
      if (typeof value === 'number') assertFinite(value, column, row.id);
      ordered[column] = value;
    }
    return JSON.stringify(ordered);
  });
  return `[\n${lines.join(',\n')}\n]\n`;
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; an empty string is `""` so it differs from null. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return text === '' || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV with a header row, CRLF line ends (RFC 4180), null as an empty unquoted field. */
export function toCsv(rows: readonly EventRow[]): string {
  const lines = [EVENT_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      EVENT_COLUMNS.map((column) => {
        const value = row[column];
        if (typeof value === 'number') assertFinite(value, column, row.id);
        return csvField(value);
      }).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export const TABLE_NAME = 'posthog_events';

/** The fixed table definition, in column order. */
export const TABLE_COLUMNS_SQL: Readonly<Record<(typeof EVENT_COLUMNS)[number], string>> = {
  id: 'bigint primary key',
  event: 'text',
  distinct_id: 'text',
  session_id: 'text',
  timestamp: 'timestamptz',
  variant: 'text',
  feature_flag_response: 'text',
  completion_time_seconds: 'double precision',
  correct_words_count: 'integer',
  total_guesses_count: 'integer',
};

function sqlLiteral(value: string | number | null, column: string, id: number): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    assertFinite(value, column, id);
    return String(value);
  }
  // standard_conforming_strings is on (PostgreSQL's default since 9.1): only quotes need doubling.
  return `'${value.replaceAll("'", "''")}'`;
}

/** Rows per INSERT statement: large enough to be quick, small enough for a web SQL editor. */
const INSERT_BATCH = 500;

export interface ToSqlOptions {
  /** Lines written as `--` comments at the top (e.g. which scenario and seed made the rows). */
  comment?: readonly string[];
}

/**
 * SQL that (re)creates and fills `posthog_events`, then makes it readable, and only readable, by
 * the `anon` role: row-level security with a select-only policy. Runs as is in psql or in a
 * Supabase project's SQL editor (where `anon` exists; the local stack creates it first).
 */
export function toSql(rows: readonly EventRow[], options: ToSqlOptions = {}): string {
  const out: string[] = [];
  for (const line of options.comment ?? []) out.push(`-- ${line.replace(/[\r\n]+/g, ' ')}`);
  const table = `public.${TABLE_NAME}`;
  out.push(
    'begin;',
    '',
    `drop table if exists ${table};`,
    `create table ${table} (`,
    EVENT_COLUMNS.map((c) => `  ${quoteIdentifier(c)} ${TABLE_COLUMNS_SQL[c]}`).join(',\n'),
    ');',
    '',
  );
  const columnList = EVENT_COLUMNS.map(quoteIdentifier).join(', ');
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    const batch = rows.slice(start, start + INSERT_BATCH);
    const values = batch.map(
      (row) => `  (${EVENT_COLUMNS.map((c) => sqlLiteral(row[c], c, row.id)).join(', ')})`,
    );
    out.push(`insert into ${table} (${columnList}) values`, `${values.join(',\n')};`, '');
  }
  out.push(
    `alter table ${table} enable row level security;`,
    `create policy "anon can read ${TABLE_NAME}" on ${table} for select to anon using (true);`,
    `grant select on ${table} to anon;`,
    '',
    'commit;',
  );
  return `${out.join('\n')}\n`;
}

/** `timestamp` is a keyword; quoting only where needed keeps the SQL readable. */
function quoteIdentifier(name: string): string {
  return name === 'timestamp' ? `"${name}"` : name;
}
