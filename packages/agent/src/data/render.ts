/** Response bodies byte for byte as PostgREST 12 renders them. */
import { type PgType, type PgValue, toJsonText, toText } from './pg-types.js';

export interface OutputColumn {
  key: string;
  type: PgType;
  index: number;
  /** `::text`: the value as PostgreSQL prints it, sent as a JSON string. */
  asText: boolean;
}

function jsonValue(column: OutputColumn, value: PgValue): string {
  if (!column.asText) return toJsonText(column.type, value);
  const text = toText(column.type, value);
  return text === null ? 'null' : JSON.stringify(text);
}

/** One row as PostgreSQL's row_to_json prints it (compact, keys in select order). */
export function jsonRow(columns: readonly OutputColumn[], row: readonly PgValue[]): string {
  return `{${columns.map((c) => `${JSON.stringify(c.key)}:${jsonValue(c, row[c.index] ?? null)}`).join(',')}}`;
}

/** PostgreSQL's json_agg separates elements with `, ` and a newline plus one space. */
export function jsonArray(
  columns: readonly OutputColumn[],
  rows: readonly (readonly PgValue[])[],
): string {
  return rows.length === 0 ? '[]' : `[${rows.map((r) => jsonRow(columns, r)).join(', \n ')}]`;
}

/** A field as PostgreSQL's record output quotes it (PostgREST's CSV is the record text). */
function csvField(text: string | null): string {
  if (text === null) return '';
  if (text !== '' && !/[",\\()\s]/.test(text)) return text;
  return `"${text.replace(/["\\]/g, (c) => c + c)}"`;
}

/** Header (taken from the first row, so empty when there is none), a newline, then the rows. */
export function csv(
  columns: readonly OutputColumn[],
  rows: readonly (readonly PgValue[])[],
): string {
  const header = rows.length === 0 ? '' : columns.map((c) => c.key).join(',');
  const lines = rows.map((r) =>
    columns.map((c) => csvField(toText(c.type, r[c.index] ?? null))).join(','),
  );
  return `${header}\n${lines.join('\n')}`;
}
