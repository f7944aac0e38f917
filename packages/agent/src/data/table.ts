import type { TableColumn, TableSpec } from '@localds/benchmarks';
import { undefinedColumn } from './errors.js';
import { type PgType, levenshtein } from './pg-types.js';

export interface ColumnDef {
  name: string;
  type: PgType;
}
export interface TableDef {
  name: string;
  columns: readonly ColumnDef[];
}

/** The endpoint's PostgreSQL type of each column type a benchmark may declare. */
const PG_TYPES: Record<TableColumn['sql'], PgType> = {
  bigint: 'bigint',
  integer: 'integer',
  'double precision': 'double precision',
  text: 'text',
  timestamptz: 'timestamp with time zone',
};

/** A benchmark's table (name and declared columns) as the embedded endpoint serves it. */
export function pgTable(table: TableSpec): TableDef {
  return {
    name: table.name,
    columns: table.columns.map(({ name, sql }) => ({ name, type: PG_TYPES[sql] })),
  };
}

/** PostgreSQL's fuzzy column suggestion (parse_relation.c): distance ≤ 3 and ≤ half the name. */
function columnHint(table: TableDef, typed: string): string | null {
  let distance = 4;
  let first: string | undefined;
  let second: string | undefined;
  for (const { name } of table.columns) {
    const d = levenshtein(name, typed);
    if (d > Math.floor(typed.length / 2)) continue;
    if (d < distance) {
      distance = d;
      first = name;
      second = undefined;
    } else if (d === distance) {
      if (second !== undefined) first = second = undefined;
      else if (first !== undefined) second = name;
    }
  }
  const ref = (c: string) => `"${table.name}.${c}"`;
  if (first === undefined) return null;
  if (second === undefined) return `Perhaps you meant to reference the column ${ref(first)}.`;
  return `Perhaps you meant to reference the column ${ref(first)} or the column ${ref(second)}.`;
}

/** The column a name refers to, or PostgreSQL's 42703 with its hint. */
export function resolveColumn(table: TableDef, name: string): ColumnDef {
  const column = table.columns.find((c) => c.name === name);
  if (!column) throw undefinedColumn(table.name, name, columnHint(table, name));
  return column;
}
