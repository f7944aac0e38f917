/**
 * Which rows a request asks for, combining `limit`/`offset` and the `Range` header the way
 * PostgREST 12 does (Data.Ranged ranges over integers, including its limit=0 special case),
 * and the `Content-Range` / status that answer it.
 */
import { rangeError } from './errors.js';
import { readInteger } from './grammar.js';

/** An integer interval [lower, upper]; `undefined` bounds are unbounded. Empty when upper < lower. */
export interface Interval {
  lower: bigint | undefined;
  upper: bigint | undefined;
}

const ALL: Interval = { lower: 0n, upper: undefined };
const isEmpty = (r: Interval) =>
  r.lower !== undefined && r.upper !== undefined && r.upper < r.lower;
const max = (a: bigint | undefined, b: bigint | undefined) =>
  a === undefined ? b : b === undefined ? a : a > b ? a : b;
const min = (a: bigint | undefined, b: bigint | undefined) =>
  a === undefined ? b : b === undefined ? a : a < b ? a : b;

/** Data.Ranged's intersection: an empty operand gives the canonical empty range. */
function intersect(a: Interval | 'empty', b: Interval | 'empty'): Interval | 'empty' {
  if (a === 'empty' || b === 'empty' || isEmpty(a) || isEmpty(b)) return 'empty';
  return { lower: max(a.lower, b.lower), upper: min(a.upper, b.upper) };
}

/** PostgREST's `Range` header: `^([0-9]+)-([0-9]*)$`, anything else means every row. */
export function parseRangeHeader(header: string | undefined): Interval | 'empty' {
  const m = header === undefined ? null : /^([0-9]+)-([0-9]*)$/.exec(header);
  if (!m) return ALL;
  const upper = m[2] === '' ? undefined : BigInt(m[2] ?? '');
  return intersect({ lower: BigInt(m[1] ?? ''), upper: undefined }, { lower: undefined, upper });
}

/** `limit` and `offset` (the last of each wins; unreadable values are ignored). */
export function queryRange(
  limit: string | undefined,
  offset: string | undefined,
): Interval | undefined {
  const l = limit === undefined ? undefined : readInteger(limit);
  const o = offset === undefined ? undefined : readInteger(offset);
  const limitRange =
    limit === undefined ? undefined : l === undefined ? ALL : { lower: 0n, upper: l - 1n };
  const offsetRange =
    offset === undefined ? undefined : o === undefined ? ALL : { lower: o, upper: undefined };
  if (limitRange && offsetRange) {
    const count = limitRange.upper === undefined ? 0n : limitRange.upper + 1n;
    const start = offsetRange.lower ?? 0n;
    return { lower: start, upper: start + count - 1n };
  }
  return limitRange ?? offsetRange;
}

export interface Window {
  /** Index of the first row asked for (the Content-Range lower bound). */
  offset: bigint;
  /** How many rows at most, before the server cap; undefined = no limit. */
  limit: bigint | undefined;
}

/**
 * The top-level window of a read: the header range (GET only) intersected with limit/offset,
 * where `limit=0` bypasses the header and an empty intersection is PGRST103.
 */
export function requestWindow(
  method: string,
  header: string | undefined,
  fromQuery: Interval | undefined,
): Window {
  const headerRange = method === 'GET' ? parseRangeHeader(header) : ALL;
  const limitRange = fromQuery ?? ALL;
  const limitZero = limitRange.upper === -1n;
  const top = limitZero ? { lower: 0n, upper: -1n } : intersect(headerRange, limitRange);
  if (!limitZero && (top === 'empty' || isEmpty(top))) {
    const headerEmpty = headerRange === 'empty' || isEmpty(headerRange);
    throw rangeError(
      headerEmpty
        ? 'The lower boundary must be lower than or equal to the upper boundary in the Range header.'
        : 'Limit should be greater than or equal to zero.',
    );
  }
  const range = top as Interval;
  const offset = range.lower ?? 0n;
  return { offset, limit: range.upper === undefined ? undefined : range.upper - offset + 1n };
}

/** The rows a window and the server's cap (db-max-rows) select. */
export function applyWindow<T>(rows: readonly T[], window: Window, maxRows: number): T[] {
  const cap = BigInt(maxRows);
  const count = window.limit === undefined ? cap : window.limit < cap ? window.limit : cap;
  const start = window.offset < 0n ? 0n : window.offset;
  return rows.slice(Number(start), Number(start + (count < 0n ? 0n : count)));
}

/** Status and `Content-Range` for a page of `returned` rows out of `total` (when counted). */
export function contentRange(
  offset: bigint,
  returned: number,
  total: number | undefined,
): { status: number; contentRange: string } {
  const upper = offset + BigInt(returned) - 1n;
  const totalText = total === undefined ? '*' : String(total);
  const shown = total !== 0 && offset <= upper ? `${offset}-${upper}` : '*';
  let status = 200;
  if (total !== undefined) {
    if (offset > BigInt(total)) {
      throw rangeError(`An offset of ${offset} was requested, but there are only ${total} rows.`, {
        'content-range': `*/${total}`,
      });
    }
    if (1n + upper - offset < BigInt(total)) status = 206;
  }
  return { status, contentRange: `${shown}/${totalText}` };
}
