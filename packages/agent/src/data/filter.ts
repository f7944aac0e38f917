/**
 * Filters and and/or trees evaluated the way PostgreSQL evaluates PostgREST's WHERE clause:
 * typed comparisons and SQL's three-valued logic (a comparison with null is unknown, and a row
 * is kept only when its condition is true).
 */
import {
  type Field,
  type Filter,
  type LogicTree,
  type Operation,
  type SimpleOp,
} from './grammar.js';
import { PostgrestError, notImplemented, pgQuote, undefinedOperator } from './errors.js';
import { type PgType, type PgValue, compareValues, parseLiteral } from './pg-types.js';
import { type ColumnDef, type TableDef, resolveColumn } from './table.js';

export type TypedRow = readonly PgValue[];
/** true, false, or null for SQL's unknown. */
export type Truth = boolean | null;
export type Predicate = (row: TypedRow) => Truth;

const SQL_OPERATOR: Record<SimpleOp, string> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  like: '~~',
  ilike: '~~*',
  match: '~',
  imatch: '~*',
  cs: '@>',
  cd: '<@',
  ov: '&&',
  sl: '<<',
  sr: '>>',
  nxr: '&<',
  nxl: '&>',
  adj: '-|-',
};

const not = (t: Truth): Truth => (t === null ? null : !t);
function and(values: Iterable<Truth>): Truth {
  let unknown = false;
  for (const v of values) {
    if (v === false) return false;
    if (v === null) unknown = true;
  }
  return unknown ? null : true;
}
function or(values: Iterable<Truth>): Truth {
  let unknown = false;
  for (const v of values) {
    if (v === true) return true;
    if (v === null) unknown = true;
  }
  return unknown ? null : false;
}

/** A LIKE pattern (`\` escapes, `%`, `_`) as an anchored regular expression. */
function likeMatcher(pattern: string, caseInsensitive: boolean): (text: string) => boolean {
  let source = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? '';
    if (c === '\\') {
      const next = chars[++i];
      if (next === undefined)
        throw new PostgrestError(400, '22025', 'LIKE pattern must not end with escape character');
      source += next.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    } else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  const re = new RegExp(`^${source}$`, 'su');
  // C collation: ILIKE folds ASCII letters only.
  const fold = (s: string) => (caseInsensitive ? s.replace(/[A-Z]/g, (x) => x.toLowerCase()) : s);
  if (caseInsensitive) {
    const folded = new RegExp(`^${fold(source)}$`, 'su');
    return (text) => folded.test(fold(text));
  }
  return (text) => re.test(text);
}

/** PostgreSQL's array literal `{a,"b c",NULL}` (one dimension, array_in's rules), for `eq(any).{…}`. */
function parseArrayLiteral(text: string): (string | null)[] {
  const malformed = (detail: string) =>
    new PostgrestError(400, '22P02', `malformed array literal: ${pgQuote(text)}`, detail);
  const chars = [...text];
  let i = 0;
  const skipSpace = () => {
    while (/\s/.test(chars[i] ?? '')) i++;
  };
  skipSpace();
  if (chars[i] !== '{')
    throw malformed('Array value must start with "{" or dimension information.');
  i++;
  skipSpace();
  const out: (string | null)[] = [];
  if (chars[i] === '}') i++;
  else
    for (;;) {
      skipSpace();
      let value = '';
      let quoted = false;
      if (chars[i] === '"') {
        quoted = true;
        for (i++; i < chars.length && chars[i] !== '"'; i++)
          value += chars[i] === '\\' ? (chars[++i] ?? '') : chars[i];
        if (chars[i] !== '"') throw malformed('Unexpected end of input.');
        i++;
      } else {
        for (; i < chars.length && chars[i] !== ',' && chars[i] !== '}'; i++)
          value += chars[i] === '\\' ? (chars[++i] ?? '') : chars[i];
        value = value.trimEnd();
        if (i >= chars.length) throw malformed('Unexpected end of input.');
        if (value === '') throw malformed(`Unexpected "${chars[i]}" character.`);
      }
      out.push(!quoted && value.toUpperCase() === 'NULL' ? null : value);
      skipSpace();
      const next = chars[i++];
      if (next === '}') break;
      if (next !== ',')
        throw malformed(
          next === undefined ? 'Unexpected end of input.' : 'Unexpected array element.',
        );
    }
  skipSpace();
  if (i < chars.length) throw malformed('Junk after closing right brace.');
  return out;
}

/** Columns are read through their index in the typed row. */
interface Bound {
  column: ColumnDef;
  index: number;
}
function bindField(table: TableDef, field: Field): Bound {
  const column = resolveColumn(table, field.name);
  const step = field.json[0];
  if (step) throw undefinedOperator(column.type, step.arrow, step.index ? 'integer' : 'unknown');
  return { column, index: table.columns.indexOf(column) };
}

function comparison(
  op: SimpleOp,
  type: PgType,
  literal: string,
): (v: Exclude<PgValue, null>) => boolean {
  if (op === 'like' || op === 'ilike') {
    const matches = likeMatcher(literal.replaceAll('*', '%'), op === 'ilike');
    return (v) => matches(v as string);
  }
  if (op === 'match' || op === 'imatch') {
    let re: RegExp;
    try {
      re = new RegExp(literal, op === 'imatch' ? 'iu' : 'u');
    } catch {
      throw new PostgrestError(400, '2201B', `invalid regular expression: ${literal}`);
    }
    return (v) => re.test(v as string);
  }
  const rhs = parseLiteral(type, literal);
  if (rhs === null) return () => false;
  const test: Record<string, (c: number) => boolean> = {
    eq: (c) => c === 0,
    neq: (c) => c !== 0,
    gt: (c) => c > 0,
    gte: (c) => c >= 0,
    lt: (c) => c < 0,
    lte: (c) => c <= 0,
  };
  const t = test[op];
  if (!t) throw notImplemented(`the ${op} operator`);
  return (v) => t(compareValues(v, rhs));
}

/** Checks what PostgreSQL checks while planning (columns, operators); literals are read later. */
function checkOperation(column: ColumnDef, operation: Operation): void {
  const type = column.type;
  if (operation.kind === 'is' && operation.value !== 'null')
    throw new PostgrestError(
      400,
      '42804',
      `argument of IS ${operation.value.toUpperCase()} must be type boolean, not type ${type}`,
    );
  if (operation.kind === 'fts') {
    if (type !== 'text') throw undefinedOperator(type, '@@', 'tsquery');
    throw notImplemented('full-text search');
  }
  if (operation.kind !== 'op') return;
  const { op } = operation;
  const textOnly = ['like', 'ilike', 'match', 'imatch'].includes(op);
  if (textOnly && type !== 'text') throw undefinedOperator(type, SQL_OPERATOR[op], 'unknown');
  if (
    ['cs', 'cd', 'ov', 'nxr', 'nxl', 'adj'].includes(op) ||
    ((op === 'sl' || op === 'sr') &&
      (type === 'text' || type === 'timestamp with time zone' || type === 'double precision'))
  )
    throw undefinedOperator(type, SQL_OPERATOR[op], 'unknown');
  if (op === 'sl' || op === 'sr')
    throw new PostgrestError(
      400,
      '42804',
      `argument of WHERE must be type boolean, not type ${type}`,
    );
}

function operationPredicate(bound: Bound, operation: Operation): (v: PgValue) => Truth {
  const type = bound.column.type;
  switch (operation.kind) {
    case 'is':
      return (v) => v === null;
    case 'isdistinct': {
      const rhs = parseLiteral(type, operation.value);
      return (v) => (v === null || rhs === null ? v !== rhs : compareValues(v, rhs) !== 0);
    }
    case 'in': {
      const tests = operation.values.map((value) => comparison('eq', type, value));
      return (v) => (v === null ? null : tests.some((t) => t(v)));
    }
    case 'fts':
      throw notImplemented('full-text search');
    case 'op': {
      const { op, quantifier } = operation;
      if (quantifier === undefined) {
        const test = comparison(op, type, operation.value);
        return (v) => (v === null ? null : test(v));
      }
      const tests = parseArrayLiteral(operation.value).map((item) =>
        item === null ? null : comparison(op, type, item),
      );
      return (v) => {
        const results = tests.map((t) => (v === null || t === null ? null : t(v)));
        return quantifier === 'any' ? or(results) : and(results);
      };
    }
  }
}

/**
 * A filter in two steps, like PostgreSQL: `check` raises planning errors (unknown column,
 * missing operator), `bind` reads the literal (invalid input) and returns the predicate.
 */
export interface Compiled {
  check(): void;
  bind(): Predicate;
}

export function compileFilter(table: TableDef, filter: Filter): Compiled {
  const check = () => {
    const bound = bindField(table, filter.field);
    checkOperation(bound.column, filter.expr.operation);
    return bound;
  };
  return {
    check: () => void check(),
    bind: () => {
      const bound = check();
      const test = operationPredicate(bound, filter.expr.operation);
      const negated = filter.expr.negated;
      return (row) => {
        const t = test(row[bound.index] ?? null);
        return negated ? not(t) : t;
      };
    },
  };
}

export function compileTree(table: TableDef, tree: LogicTree): Compiled {
  if (tree.kind === 'filter') return compileFilter(table, tree.filter);
  const children = tree.children.map((c) => compileTree(table, c));
  return {
    check: () => children.forEach((c) => c.check()),
    bind: () => {
      const predicates = children.map((c) => c.bind());
      const combine = tree.op === 'and' ? and : or;
      return (row) => {
        const t = combine(predicates.map((p) => p(row)));
        return tree.negated ? not(t) : t;
      };
    },
  };
}
