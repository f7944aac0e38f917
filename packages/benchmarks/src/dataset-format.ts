import type { DataRow } from '@localds/scorer';
import type { TableColumn } from './definition.js';

/** A benchmark's table as its dataset formats need it: the name and the columns in order. */
export interface TableSpec {
  name: string;
  columns: readonly TableColumn[];
}

/**
 * Serialisers for a benchmark's rows, driven by its table's columns. Isomorphic (no Node APIs) and deterministic: the same rows always
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

/** How an error names a row: its `id` where it has one, else its position. */
const rowName = (row: DataRow, index: number): string | number =>
  typeof row.id === 'number' || typeof row.id === 'string' ? row.id : `#${index + 1}`;

function assertFinite(value: number, column: string, id: string | number): void {
  if (!Number.isFinite(value))
    throw new RangeError(`row ${id}: ${column} is not finite (${value})`);
}

/** A row's value of a column; a column the row lacks is an error, never a silent null. */
function cell(row: DataRow, column: string, index: number): string | number | boolean | null {
  if (!Object.hasOwn(row, column)) {
    throw new RangeError(`row ${rowName(row, index)} has no column "${column}"`);
  }
  const value = row[column]!;
  if (typeof value === 'number') assertFinite(value, column, rowName(row, index));
  return value;
}

/**
 * JSON as PostgREST returns `select=*&order=id`: an array of objects, keys in table column order.
 * One row per line so a committed snapshot diffs readably; parsed, it equals PostgREST's body.
 */
export function toJson(rows: readonly DataRow[], table: TableSpec): string {
  if (rows.length === 0) return '[]\n';
  const lines = rows.map((row, index) => {
    const ordered: Record<string, unknown> = {};
    for (const { name } of table.columns) ordered[name] = cell(row, name, index);
    return JSON.stringify(ordered);
  });
  return `[\n${lines.join(',\n')}\n]\n`;
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; an empty string is `""` so it differs from null. */
function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return text === '' || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV with a header row, CRLF line ends (RFC 4180), null as an empty unquoted field. */
export function toCsv(rows: readonly DataRow[], table: TableSpec): string {
  const lines = [table.columns.map((c) => c.name).join(',')];
  rows.forEach((row, index) => {
    lines.push(table.columns.map(({ name }) => csvField(cell(row, name, index))).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** A column's type in `create table`: the first column marked as the key is the primary key. */
function columnSql(column: TableColumn): string {
  return column.primaryKey ? `${column.sql} primary key` : column.sql;
}

function sqlLiteral(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
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
export function toSql(
  rows: readonly DataRow[],
  table: TableSpec,
  options: ToSqlOptions = {},
): string {
  const out: string[] = [];
  for (const line of options.comment ?? []) out.push(`-- ${line.replace(/[\r\n]+/g, ' ')}`);
  const qualified = `public.${table.name}`;
  const names = table.columns.map((c) => c.name);
  out.push(
    'begin;',
    '',
    `drop table if exists ${qualified};`,
    `create table ${qualified} (`,
    table.columns.map((c) => `  ${quoteIdentifier(c.name)} ${columnSql(c)}`).join(',\n'),
    ');',
    '',
  );
  const columnList = names.map(quoteIdentifier).join(', ');
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    const batch = rows.slice(start, start + INSERT_BATCH);
    const values = batch.map(
      (row, i) => `  (${names.map((c) => sqlLiteral(cell(row, c, start + i))).join(', ')})`,
    );
    out.push(`insert into ${qualified} (${columnList}) values`, `${values.join(',\n')};`, '');
  }
  out.push(
    `alter table ${qualified} enable row level security;`,
    `create policy "anon can read ${table.name}" on ${qualified} for select to anon using (true);`,
    `grant select on ${qualified} to anon;`,
    '',
    'commit;',
  );
  return `${out.join('\n')}\n`;
}

/** Keywords a column may be named after; quoting only where needed keeps the SQL readable. */
const SQL_KEYWORDS = new Set(['timestamp', 'date', 'user', 'order', 'group', 'time', 'day']);

export function quoteIdentifier(name: string): string {
  return SQL_KEYWORDS.has(name) ? `"${name}"` : name;
}
