/**
 * Python behaviour the article's scorer relies on, reproduced so details and verdicts agree with it:
 * `format(x, '.6g')`, `str(x)`, `==` between JSON values, and the regex classes of Python's `re`
 * for str patterns (`.` stops only at \n, `\d` is any Unicode digit, `\s` is Python's whitespace).
 */

/** Python's `.` (any character but \n), `\s` and `\d` for str patterns, to build `u`-flag regexes. */
export const PY_DOT = String.raw`[^\n]`;
export const PY_S = String.raw`(?:[\x1c-\x1f]|(?!\ufeff)\s)`;
export const PY_D = String.raw`\p{Nd}`;

/** A number as Python would use it in arithmetic: JSON numbers and booleans (True == 1), else null. */
export function pyNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

function stripFractionZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

function exponentSuffix(exp: number): string {
  return `e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** `format(x, f'.{precision}g')`. */
export function formatG(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa = '', expText = '0'] = x.toExponential(precision - 1).split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= precision) return stripFractionZeros(mantissa) + exponentSuffix(exp);
  return stripFractionZeros(x.toFixed(Math.max(0, precision - 1 - exp)));
}

/** `format(x, f'.{digits}f')`. */
export function formatF(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return x.toFixed(digits);
}

/**
 * `repr(x)` of a float: shortest round-trip digits, scientific below 1e-4 or from 1e16. JSON does
 * not say whether `1` was an int or `1.0` a float once parsed, so whole numbers print as ints.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return String(x);
  const [mantissa = '', expText = '0'] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) return mantissa + exponentSuffix(exp);
  return String(x);
}

/** `str(value)` for a JSON value (as an f-string shows it). */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyFloatRepr(value);
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
}

/** Python `a == b` for JSON values (True == 1, NaN != NaN, deep lists and dicts). */
export function pyEquals(a: unknown, b: unknown): boolean {
  const na = pyNumber(a);
  const nb = pyNumber(b);
  if (na !== null || nb !== null) return na !== null && nb !== null && na === nb;
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a ?? null) === (b ?? null);
  }
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((v, i) => pyEquals(v, b[i]))
    );
  }
  const ea = Object.entries(a as Record<string, unknown>);
  const ob = b as Record<string, unknown>;
  return (
    ea.length === Object.keys(ob).length &&
    ea.every(([k, v]) => Object.hasOwn(ob, k) && pyEquals(v, ob[k]))
  );
}

/** `len(json.dumps(value))` with Python's defaults (", " and ": " separators, ASCII escapes). */
export function pyJsonDumpsLength(value: unknown): number {
  if (value === null || value === undefined) return 4;
  if (typeof value === 'boolean') return value ? 4 : 5;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 3;
    if (!Number.isFinite(value)) return value > 0 ? 8 : 9;
    return pyFloatRepr(value).length;
  }
  if (typeof value === 'string') return pyJsonStringLength(value);
  if (Array.isArray(value)) {
    const inner = value.reduce<number>((n, v) => n + pyJsonDumpsLength(v), 0);
    return 2 + inner + Math.max(0, value.length - 1) * 2;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const inner = entries.reduce(
    (n, [k, v]) => n + pyJsonStringLength(k) + 2 + pyJsonDumpsLength(v),
    0,
  );
  return 2 + inner + Math.max(0, entries.length - 1) * 2;
}

function pyJsonStringLength(text: string): number {
  let n = 2;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if ('"\\\n\r\t\b\f'.includes(ch)) n += 2;
    else if (code < 0x20 || (code > 0x7e && code <= 0xffff)) n += 6;
    else if (code > 0xffff) n += 12;
    else n += 1;
  }
  return n;
}
