/**
 * The query string of a read, split and parsed in PostgREST 12's order (order, and/or trees,
 * select, then filters), so the first grammar error reported is the one PostgREST reports.
 */
import { PostgrestError, parseError } from './errors.js';
import {
  type Filter,
  type LogicTree,
  type OrderTerm,
  type SelectItem,
  pFilterValue,
  pFieldName,
  pLogicPath,
  pLogicTree,
  pOrder,
  pSelect,
  pTreePath,
} from './grammar.js';
import { type Parser, parse, sepBy1 } from './parsec.js';
import { pComma, pDelimiter as pFieldNameDelimiter } from './grammar.js';
import { type Interval, queryRange } from './range.js';

export interface ReadQuery {
  select: SelectItem[];
  /** and/or trees, applied before the plain filters as PostgREST's SQL does. */
  logic: LogicTree[];
  filters: Filter[];
  order: OrderTerm[];
  range: Interval | undefined;
  /** The first embedded resource a parameter names (`rel.col=…`, `rel.order=…`); none exist here. */
  embedded?: string;
}

/** Percent-decoding of bytes, `+` as space, invalid UTF-8 replaced (http-types' parseQueryReplacePlus). */
function decode(part: string): string {
  const bytes: number[] = [];
  const raw = new TextEncoder().encode(part);
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] ?? 0;
    const hex = String.fromCharCode(raw[i + 1] ?? 0, raw[i + 2] ?? 0);
    if (b === 0x2b) bytes.push(0x20);
    else if (b === 0x25 && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(b);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** `name=value` pairs in order; a pair without `=` has no value (PostgREST ignores those). */
export function splitQuery(query: string): { key: string; value: string | undefined }[] {
  return query
    .replace(/^\?/, '')
    .split(/[&;]/)
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0
        ? { key: decode(p), value: undefined }
        : { key: decode(p.slice(0, eq)), value: decode(p.slice(eq + 1)) };
    });
}

function run<A>(p: Parser<A>, source: string, input: string): A {
  const r = parse(p, source, input);
  if (!r.ok) throw parseError(r.message, r.details);
  return r.value;
}

const lastWord = (key: string) => key.split('.').pop() ?? '';
export const embeddedError = (name: string): PostgrestError =>
  new PostgrestError(
    400,
    'PGRST108',
    `'${name}' is not an embedded resource in this request`,
    null,
    `Verify that '${name}' is included in the 'select' query parameter.`,
  );

/** Parses a read's query string (without `apikey`, which the gateway strips). */
export function parseReadQuery(query: string): ReadQuery {
  const pairs = splitQuery(query);
  const present = pairs.filter((p): p is { key: string; value: string } => p.value !== undefined);
  const reserved = ['select', 'columns', 'on_conflict'];
  const embeddable = ['order', 'limit', 'offset', 'and', 'or'];
  const orderParams = present.filter((p) => lastWord(p.key) === 'order');
  const logicParams = present.filter((p) => ['and', 'or'].includes(lastWord(p.key)));
  const filterParams = present.filter(
    (p) => !embeddable.includes(lastWord(p.key)) && !reserved.includes(p.key),
  );
  const selectText = pairs.find((p) => p.key === 'select')?.value ?? '*';
  const columnsText = pairs.find((p) => p.key === 'columns')?.value;

  const orders = orderParams.map((p) => {
    const path = run(
      sepBy1(pFieldName, pFieldNameDelimiter),
      `failed to parse tree path (${p.key})`,
      p.key,
    );
    return {
      path: path.slice(0, -1),
      terms: run(pOrder, `failed to parse order (${p.value})`, p.value),
    };
  });
  const logic = logicParams.map((p) => {
    const { path, op } = run(pLogicPath, `failed to parse logic path (${p.key})`, p.key);
    return { path, tree: run(pLogicTree, `failed to parse logic tree (${p.value})`, op + p.value) };
  });
  if (columnsText !== undefined)
    run(
      sepBy1(pFieldName, pComma),
      `failed to parse columns parameter (${columnsText})`,
      columnsText,
    );
  const select = run(pSelect, `failed to parse select parameter (${selectText})`, selectText);
  const filters = filterParams.map((p) => {
    const { path, field } = run(pTreePath, `failed to parse tree path (${p.key})`, p.key);
    const expr = run(pFilterValue, `failed to parse filter (${p.value})`, p.value);
    return { path, filter: { field, expr } };
  });

  const limits = present.filter((p) => lastWord(p.key) === 'limit');
  const offsets = present.filter((p) => lastWord(p.key) === 'offset');
  const embedded = [
    ...orders.map((o) => o.path),
    ...logic.map((l) => l.path),
    ...filters.map((f) => f.path),
    ...[...limits, ...offsets].map((p) => p.key.split('.').slice(0, -1)),
  ]
    .find((path) => path.length > 0)
    ?.at(0);

  return {
    select,
    logic: logic.map((l) => l.tree),
    filters: filters.map((f) => f.filter),
    order: orders[0]?.terms ?? [],
    range: queryRange(limits.at(-1)?.value, offsets.at(-1)?.value),
    ...(embedded === undefined ? {} : { embedded }),
  };
}
