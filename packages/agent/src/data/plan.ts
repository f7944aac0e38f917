/**
 * Planning a read: PostgREST's own checks on `select` (embedding, aggregates), then PostgreSQL's
 * (types, columns) for the output columns and the sort order.
 */
import { PostgrestError, notImplemented } from './errors.js';
import type { TypedRow } from './filter.js';
import type { OrderTerm, SelectItem } from './grammar.js';
import { type PgType, compareValues } from './pg-types.js';
import type { OutputColumn } from './render.js';
import { type TableDef, resolveColumn } from './table.js';

const CAST_ALIASES: Record<PgType, string[]> = {
  bigint: ['bigint', 'int8'],
  integer: ['integer', 'int', 'int4'],
  'double precision': ['double precision', 'float8'],
  text: ['text'],
  'timestamp with time zone': ['timestamptz', 'timestamp with time zone'],
};

/** PostgreSQL types a cast may name that the embedded endpoint does not convert to. */
const OTHER_TYPES = [
  ...[
    'numeric',
    'decimal',
    'smallint',
    'int2',
    'real',
    'float4',
    'date',
    'time',
    'timestamp',
    'json',
    'jsonb',
  ],
  ...[
    'boolean',
    'bool',
    'varchar',
    'char',
    'bpchar',
    'uuid',
    'bytea',
    'interval',
    'money',
    'name',
    'text',
  ],
  ...Object.values(CAST_ALIASES).flat(),
];

/** PostgREST's own planning errors for `select`: embedding and aggregates. */
export function checkSelectPlan(table: TableDef, select: SelectItem[]): void {
  const relation = select.find((s) => s.kind === 'relation');
  if (relation?.kind === 'relation')
    throw new PostgrestError(
      400,
      'PGRST200',
      `Could not find a relationship between '${table.name}' and '${relation.name}' in the schema cache`,
      `Searched for a foreign key relationship between '${table.name}' and '${relation.name}' in the schema 'public', but no matches were found.`,
    );
  if (select.some((s) => s.kind === 'field' && s.aggregate !== undefined))
    throw new PostgrestError(400, 'PGRST123', 'Use of aggregate functions is not allowed');
}

/** The output columns, with PostgreSQL's checks in its order (a cast's type before the column). */
export function outputColumns(table: TableDef, select: SelectItem[]): OutputColumn[] {
  const all = (): OutputColumn[] =>
    table.columns.map((c, index) => ({ key: c.name, type: c.type, index, asText: false }));
  if (select.length === 0) return all();
  return select.flatMap((item): OutputColumn[] => {
    if (item.kind === 'star') return all();
    if (item.kind !== 'field') return [];
    const cast = item.cast?.toLowerCase();
    if (cast !== undefined && !OTHER_TYPES.includes(cast))
      throw new PostgrestError(400, '42704', `type "${cast}" does not exist`);
    const column = resolveColumn(table, item.field.name);
    if (item.field.json.length > 0) throw notImplemented('JSON paths (->, ->>)');
    if (cast !== undefined && cast !== 'text' && !CAST_ALIASES[column.type].includes(cast))
      throw notImplemented(`casting to ${cast}`);
    return [
      {
        key: item.alias ?? column.name,
        type: column.type,
        index: table.columns.indexOf(column),
        asText: cast === 'text',
      },
    ];
  });
}

export function comparator(
  table: TableDef,
  order: OrderTerm[],
): ((a: TypedRow, b: TypedRow) => number) | undefined {
  if (order.length === 0) return undefined;
  const keys = order.map((term) => {
    if (term.relation !== undefined) throw notImplemented('ordering by an embedded resource');
    const column = resolveColumn(table, term.field.name);
    if (term.field.json.length > 0) throw notImplemented('JSON paths (->, ->>)');
    const desc = term.direction === 'desc';
    // PostgreSQL: NULLS LAST for ascending, NULLS FIRST for descending, unless stated.
    const nullsFirst = term.nulls === undefined ? desc : term.nulls === 'nullsfirst';
    return { index: table.columns.indexOf(column), desc, nullsFirst };
  });
  return (a, b) => {
    for (const k of keys) {
      const x = a[k.index] ?? null;
      const y = b[k.index] ?? null;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === k.nullsFirst ? -1 : 1;
      }
      const c = compareValues(x, y);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  };
}
