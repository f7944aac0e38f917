/**
 * The column types of the served table and PostgreSQL 15's behaviour for them: input parsing of
 * filter values (int8in, int4in, float8in, a timestamptz subset), comparison, and output.
 * Hand-written: these are PostgreSQL's rules, not a library's.
 */
import { PostgrestError, invalidText, pgQuote } from './errors.js';

export type PgType =
  'bigint' | 'integer' | 'double precision' | 'text' | 'timestamp with time zone';
/** A value as the evaluator sees it: integers as bigint, instants as microseconds since the epoch. */
export type PgValue = bigint | number | string | null;

const INT_RANGE: Record<'bigint' | 'integer', [bigint, bigint]> = {
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
};

const outOfRange = (text: string, type: string): PostgrestError =>
  new PostgrestError(400, '22003', `value ${pgQuote(text)} is out of range for type ${type}`);

function parseInteger(text: string, type: 'bigint' | 'integer'): bigint {
  const m = /^[ \t\n\r\f\v]*([+-]?)([0-9]+)[ \t\n\r\f\v]*$/.exec(text);
  if (!m) throw invalidText(type, text);
  const value = BigInt(`${m[1] === '-' ? '-' : ''}${m[2]}`);
  const [min, max] = INT_RANGE[type];
  if (value < min || value > max) throw outOfRange(text, type);
  return value;
}

function parseDouble(text: string): number {
  const t = text.trim();
  const special: Record<string, number> = {
    nan: NaN,
    infinity: Infinity,
    inf: Infinity,
    '+infinity': Infinity,
    '+inf': Infinity,
    '-infinity': -Infinity,
    '-inf': -Infinity,
  };
  const s = special[t.toLowerCase()];
  if (s !== undefined) return s;
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t))
    throw invalidText('double precision', text);
  const value = Number(t);
  if (!Number.isFinite(value))
    throw new PostgrestError(
      400,
      '22003',
      `${pgQuote(text)} is out of range for type double precision`,
    );
  return value;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Round half to even, as PostgreSQL's rint() does for fractional seconds. */
function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * ISO-style timestamptz input (`2026-10-01`, `2026-10-01 09:15[:02[.123]]`, `T`, zones `Z`, `UTC`,
 * `±HH[:MM[:SS]]`), read in UTC like the stack's session. PostgreSQL accepts more (month names,
 * `now`); those are reported as invalid here.
 */
export function parseTimestamptz(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-infinity') return -Infinity;
  if (t === 'epoch') return 0;
  const m =
    /^(\d{1,4})(?:-(\d{1,2})-(\d{1,2})|\/(\d{1,2})\/(\d{1,2})|(\d{2})(\d{2}))(?:(?:t| +)(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?)? *(z|utc|gmt|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?)?$/.exec(
      t,
    );
  if (!m)
    throw new PostgrestError(
      400,
      '22007',
      `invalid input syntax for type timestamp with time zone: ${pgQuote(text)}`,
    );
  const num = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  const yearText = m[1] ?? '';
  // Shorter years are read in DateStyle's field order, which this subset does not model.
  if (yearText.length < 3 || (m[6] !== undefined && yearText.length !== 4))
    throw new PostgrestError(
      400,
      '22007',
      `invalid input syntax for type timestamp with time zone: ${pgQuote(text)}`,
    );
  const year = num(yearText);
  const month = num(m[2] ?? m[4] ?? m[6]);
  const day = num(m[3] ?? m[5] ?? m[7]);
  const [hour, minute, second] = [num(m[8]), num(m[9]), num(m[10])];
  const fraction = m[11] === undefined ? 0 : roundEven(Number(`0.${m[11]}`) * 1e6);
  const dim = month === 2 && isLeap(year) ? 29 : (DAYS[month - 1] ?? 0);
  const badTime =
    hour > 24 ||
    minute > 59 ||
    second > 60 ||
    (hour === 24 && (minute > 0 || second > 0 || fraction > 0));
  if (month < 1 || month > 12 || day < 1 || day > dim || badTime) {
    // PostgreSQL suspects a day/month mix-up only when the month field overflows.
    const hint =
      month < 1 || month > 12 ? 'Perhaps you need a different "datestyle" setting.' : null;
    throw new PostgrestError(
      400,
      '22008',
      `date/time field value out of range: ${pgQuote(text)}`,
      null,
      hint,
    );
  }
  let offsetSeconds = 0;
  const zone = m[12];
  if (zone !== undefined && zone[0] !== undefined && '+-'.includes(zone[0])) {
    const digits = zone.slice(1).replaceAll(':', '');
    const hh = zone.includes(':')
      ? zone.slice(1).split(':')
      : [
          digits.slice(0, digits.length > 2 ? 2 : digits.length),
          digits.slice(2, 4),
          digits.slice(4, 6),
        ];
    offsetSeconds =
      (Number(hh[0] ?? 0) * 3600 + Number(hh[1] || 0) * 60 + Number(hh[2] || 0)) *
      (zone[0] === '-' ? -1 : 1);
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const adjusted = new Date(ms);
  adjusted.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
  return (adjusted.getTime() / 1000 - offsetSeconds) * 1e6 + fraction;
}

/** Parses a filter value as PostgreSQL would coerce an untyped literal to the column's type. */
export function parseLiteral(type: PgType, text: string): PgValue {
  switch (type) {
    case 'bigint':
    case 'integer':
      return parseInteger(text, type);
    case 'double precision':
      return parseDouble(text);
    case 'timestamp with time zone':
      return parseTimestamptz(text);
    case 'text':
      return text;
  }
}

/** A stored row value in evaluator form. */
export function fromRow(type: PgType, value: unknown): PgValue {
  if (value === null || value === undefined) return null;
  if (type === 'bigint' || type === 'integer') return BigInt(value as number);
  if (type === 'timestamp with time zone') return parseTimestamptz(value as string);
  return value as number | string;
}

function compareCodePoints(a: string, b: string): number {
  // C collation: byte order of UTF-8, which is code point order.
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Total order of two non-null values of one type (NaN sorts above every number, as in PostgreSQL). */
export function compareValues(a: Exclude<PgValue, null>, b: Exclude<PgValue, null>): number {
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
  if (Number.isNaN(y)) return -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** PostgreSQL 15's float8 output: shortest round-trip digits, exponent form below 1e-4 and from 1e15. */
export function formatDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa = '', exp = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const e = Number(exp);
  const sign = x < 0 ? '-' : '';
  if (e < -4 || e >= 15) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${frac}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const int = digits.slice(0, e + 1).padEnd(e + 1, '0');
  const frac = digits.slice(e + 1);
  return `${sign}${int}${frac ? `.${frac}` : ''}`;
}

/** An instant in microseconds as PostgreSQL prints timestamptz under TimeZone UTC. */
export function formatInstant(micros: number, style: 'json' | 'text'): string {
  if (!Number.isFinite(micros)) return micros > 0 ? 'infinity' : '-infinity';
  const total = Math.round(micros);
  const seconds = Math.floor(total / 1e6);
  const d = new Date(seconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const frac = pad(total - seconds * 1e6, 6).replace(/0+$/, '');
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac ? `.${frac}` : ''}`;
  return style === 'json' ? `${date}T${time}+00:00` : `${date} ${time}+00`;
}

/** A value rendered as PostgREST's JSON (via PostgreSQL's to_json). */
export function toJsonText(type: PgType, value: PgValue): string {
  if (value === null) return 'null';
  switch (type) {
    case 'bigint':
    case 'integer':
      return String(value);
    case 'double precision': {
      const n = value as number;
      return Number.isFinite(n) ? formatDouble(n) : JSON.stringify(formatDouble(n));
    }
    case 'timestamp with time zone':
      return JSON.stringify(formatInstant(value as number, 'json'));
    case 'text':
      return JSON.stringify(value);
  }
}

/** A value cast to text (`select=col::text`), as PostgreSQL's output functions print it. */
export function toText(type: PgType, value: PgValue): string | null {
  if (value === null) return null;
  if (type === 'double precision') return formatDouble(value as number);
  if (type === 'timestamp with time zone') return formatInstant(value as number, 'text');
  return String(value);
}

/**
 * Levenshtein distance as PostgreSQL's varstr_levenshtein (unit costs), for the
 * "Perhaps you meant to reference the column" hint.
 */
export function levenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1);
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, sub));
    }
    prev = cur;
  }
  return prev[y.length] ?? 0;
}
