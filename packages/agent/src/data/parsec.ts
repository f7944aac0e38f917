/**
 * A minimal clone of Haskell Parsec 3's semantics (consumed/empty replies, `try`, `<?>`, error
 * merging by furthest position), so that PGRST100 messages match PostgREST's wording and columns.
 * Hand-written: PostgREST's query grammar is a set of Parsec parsers and no JS library reproduces
 * Parsec's error reporting.
 */

/** Parsec's message kinds, in the order `showErrorMessages` sorts them. */
const Kind = { SysUnExpect: 0, UnExpect: 1, Expect: 2, Message: 3 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];
interface Msg {
  kind: Kind;
  text: string;
}
export interface ParseError {
  line: number;
  col: number;
  msgs: Msg[];
}
export interface State {
  chars: readonly string[];
  i: number;
  line: number;
  col: number;
}
export type Reply<A> =
  | { ok: true; consumed: boolean; value: A; state: State; err: ParseError }
  | { ok: false; consumed: boolean; err: ParseError };
export type Parser<A> = (s: State) => Reply<A>;

const unknownError = (s: State): ParseError => ({ line: s.line, col: s.col, msgs: [] });
const errorAt = (s: State, ...msgs: Msg[]): ParseError => ({ line: s.line, col: s.col, msgs });

function mergeError(a: ParseError, b: ParseError): ParseError {
  if (b.msgs.length === 0 && a.msgs.length > 0) return a;
  if (a.msgs.length === 0 && b.msgs.length > 0) return b;
  const order = a.line - b.line || a.col - b.col;
  if (order === 0) return { line: a.line, col: a.col, msgs: [...a.msgs, ...b.msgs] };
  return order > 0 ? a : b;
}

/** The escapes Haskell's `show` uses for one character inside a literal. */
function haskellEscape(ch: string, quote: '"' | "'"): { piece: string; numeric: boolean } {
  const control = [
    ...['NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'a', 'b', 't', 'n', 'v', 'f', 'r'],
    ...['SO', 'SI', 'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN'],
    ...['EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US'],
  ];
  const code = ch.codePointAt(0) ?? 0;
  if (ch === quote || ch === '\\') return { piece: `\\${ch}`, numeric: false };
  if (code < 0x20) return { piece: `\\${control[code]}`, numeric: false };
  if (code === 0x7f) return { piece: '\\DEL', numeric: false };
  if (code > 0x7f) return { piece: `\\${code}`, numeric: true };
  return { piece: ch, numeric: false };
}

/** Haskell's `show` for a String: what Parsec prints for an unexpected token. */
export function haskellShow(text: string): string {
  let out = '"';
  let lastNumeric = false;
  for (const ch of text) {
    const { piece, numeric } = haskellEscape(ch, '"');
    // `\&` separates a numeric escape from a following digit (and \SO from a following H).
    if ((lastNumeric && /^[0-9]/.test(piece)) || (out.endsWith('\\SO') && piece === 'H'))
      out += '\\&';
    out += piece;
    lastNumeric = numeric;
  }
  return `${out}"`;
}

/** Haskell's `show` for a Char ('x'), used by `notFollowedBy` and `eof`. */
const haskellShowChar = (ch: string): string => `'${haskellEscape(ch, "'").piece}'`;

function advance(s: State, ch: string): State {
  if (ch === '\n') return { ...s, i: s.i + 1, line: s.line + 1, col: 1 };
  if (ch === '\t') return { ...s, i: s.i + 1, col: s.col + 8 - ((s.col - 1) % 8) };
  return { ...s, i: s.i + 1, col: s.col + 1 };
}

export function satisfy(test: (ch: string) => boolean): Parser<string> {
  return (s) => {
    const ch = s.chars[s.i];
    if (ch === undefined)
      return { ok: false, consumed: false, err: errorAt(s, { kind: Kind.SysUnExpect, text: '' }) };
    if (!test(ch))
      return {
        ok: false,
        consumed: false,
        err: errorAt(s, { kind: Kind.SysUnExpect, text: haskellShow(ch) }),
      };
    const next = advance(s, ch);
    return { ok: true, consumed: true, value: ch, state: next, err: unknownError(next) };
  };
}

export function label<A>(p: Parser<A>, expected: string): Parser<A> {
  const relabel = (err: ParseError): ParseError => ({
    ...err,
    msgs: [
      { kind: Kind.Expect, text: expected },
      ...err.msgs.filter((m) => m.kind !== Kind.Expect),
    ],
  });
  return (s) => {
    const r = p(s);
    if (r.consumed) return r;
    if (!r.ok) return { ...r, err: relabel(r.err) };
    return r.err.msgs.length === 0 ? r : { ...r, err: relabel(r.err) };
  };
}

export const char = (c: string): Parser<string> =>
  label(
    satisfy((x) => x === c),
    haskellShow(c),
  );
export const anyChar: Parser<string> = satisfy(() => true);
export const oneOf = (set: string): Parser<string> => satisfy((x) => set.includes(x));
export const noneOf = (set: string): Parser<string> => satisfy((x) => !set.includes(x));
export const letter: Parser<string> = label(
  satisfy((x) => /^\p{L}$/u.test(x)),
  'letter',
);
export const digit: Parser<string> = label(
  satisfy((x) => x >= '0' && x <= '9'),
  'digit',
);

/** Parsec's `string`: on a mismatch the error sits at the start, naming the offending character. */
export function string(text: string): Parser<string> {
  const wanted = [...text];
  return (s) => {
    let state = s;
    for (let k = 0; k < wanted.length; k++) {
      const ch = state.chars[state.i];
      if (ch === undefined || ch !== wanted[k]) {
        const err = errorAt(
          s,
          { kind: Kind.SysUnExpect, text: ch === undefined ? '' : haskellShow(ch) },
          { kind: Kind.Expect, text: haskellShow(text) },
        );
        return { ok: false, consumed: k > 0, err };
      }
      state = advance(state, ch);
    }
    return { ok: true, consumed: wanted.length > 0, value: text, state, err: unknownError(state) };
  };
}

export function pure<A>(value: A): Parser<A> {
  return (s) => ({ ok: true, consumed: false, value, state: s, err: unknownError(s) });
}

export function fail<A>(message: string): Parser<A> {
  return (s) => ({
    ok: false,
    consumed: false,
    err: errorAt(s, { kind: Kind.Message, text: message }),
  });
}

export function tryP<A>(p: Parser<A>): Parser<A> {
  return (s) => {
    const r = p(s);
    return r.ok || !r.consumed ? r : { ...r, consumed: false };
  };
}

/** `p >>= f` with Parsec's error bookkeeping. */
export function bind<A, B>(p: Parser<A>, f: (a: A) => Parser<B>): Parser<B> {
  return (s) => {
    const r = p(s);
    if (!r.ok) return r;
    const q = f(r.value)(r.state);
    if (q.consumed) return { ...q, consumed: true };
    return { ...q, consumed: r.consumed, err: mergeError(r.err, q.err) };
  };
}

export const map = <A, B>(p: Parser<A>, f: (a: A) => B): Parser<B> => bind(p, (a) => pure(f(a)));
// Not named `then`: a module exporting `then` is a thenable, and `await import()` of it never settles.
export const andThen = <A, B>(p: Parser<A>, q: Parser<B>): Parser<B> => bind(p, () => q);
export const left = <A, B>(p: Parser<A>, q: Parser<B>): Parser<A> =>
  bind(p, (a) => map(q, () => a));

/** `p <|> q <|> …`: the next alternative runs only if the previous failed without consuming. */
export function alt<A>(...ps: Parser<A>[]): Parser<A> {
  return (s) => {
    let err: ParseError | undefined;
    for (const p of ps) {
      const r = p(s);
      if (r.consumed) return r;
      const merged = err ? mergeError(err, r.err) : r.err;
      if (r.ok) return { ...r, err: merged };
      err = merged;
    }
    return { ok: false, consumed: false, err: err ?? unknownError(s) };
  };
}

export function many<A>(p: Parser<A>): Parser<A[]> {
  return (s) => {
    const values: A[] = [];
    let state = s;
    let consumed = false;
    while (true) {
      const r = p(state);
      if (!r.ok) {
        if (r.consumed) return r;
        return { ok: true, consumed, value: values, state, err: r.err };
      }
      if (!r.consumed) throw new Error('many: parser accepts the empty string');
      values.push(r.value);
      state = r.state;
      consumed = true;
    }
  };
}

export const many1 = <A>(p: Parser<A>): Parser<A[]> =>
  bind(p, (x) => map(many(p), (xs) => [x, ...xs]));
export const sepBy1 = <A, S>(p: Parser<A>, sep: Parser<S>): Parser<A[]> =>
  bind(p, (x) => map(many(andThen(sep, p)), (xs) => [x, ...xs]));
export const sepBy = <A, S>(p: Parser<A>, sep: Parser<S>): Parser<A[]> =>
  alt(sepBy1(p, sep), pure<A[]>([]));
export const between = <O, C, A>(open: Parser<O>, close: Parser<C>, p: Parser<A>): Parser<A> =>
  left(andThen(open, p), close);
export const option = <A>(fallback: A, p: Parser<A>): Parser<A> => alt(p, pure(fallback));
export const optionMaybe = <A>(p: Parser<A>): Parser<A | undefined> =>
  alt<A | undefined>(p, pure(undefined));

export function lookAhead<A>(p: Parser<A>): Parser<A> {
  return (s) => {
    const r = p(s);
    return r.ok ? { ok: true, consumed: false, value: r.value, state: s, err: unknownError(s) } : r;
  };
}

/** Parsec's `notFollowedBy`: the token is reported with Haskell's `show` of a Char ('x'). */
export function notFollowedBy(p: Parser<string>): Parser<undefined> {
  return (s) => {
    const r = tryP(p)(s);
    if (r.ok) {
      const err = errorAt(r.state, { kind: Kind.UnExpect, text: haskellShowChar(r.value) });
      return { ok: false, consumed: false, err };
    }
    return { ok: true, consumed: false, value: undefined, state: s, err: r.err };
  };
}

/** `eof`: `anyToken` does not advance the position, so the error points at the extra character. */
export const eof: Parser<undefined> = (s) => {
  const ch = s.chars[s.i];
  const expect: Msg = { kind: Kind.Expect, text: 'end of input' };
  if (ch === undefined)
    return {
      ok: true,
      consumed: false,
      value: undefined,
      state: s,
      err: errorAt(s, expect, { kind: Kind.SysUnExpect, text: '' }),
    };
  return {
    ok: false,
    consumed: false,
    err: errorAt(s, expect, { kind: Kind.UnExpect, text: haskellShowChar(ch) }),
  };
};

/** Defers construction, for recursive grammars. */
export const lazy =
  <A>(make: () => Parser<A>): Parser<A> =>
  (s) =>
    make()(s);

/** Parsec's `showErrorMessages "or" "unknown parse error" "expecting" "unexpected" "end of input"`, one line. */
export function describe(err: ParseError): string {
  const sorted = [...err.msgs].sort((a, b) => a.kind - b.kind);
  const of = (kind: Kind) => sorted.filter((m) => m.kind === kind).map((m) => m.text);
  const clean = (xs: string[]) => [...new Set(xs.filter((x) => x !== ''))];
  const commasOr = (xs: string[]): string =>
    xs.length <= 1 ? (xs[0] ?? '') : `${clean(xs.slice(0, -1)).join(', ')} or ${xs[xs.length - 1]}`;
  const showMany = (pre: string, xs: string[]) => {
    const c = clean(xs);
    if (c.length === 0) return '';
    return pre === '' ? commasOr(c) : `${pre} ${commasOr(c)}`;
  };
  const sys = of(Kind.SysUnExpect);
  const unexpected = of(Kind.UnExpect);
  let sysLine = '';
  if (unexpected.length === 0 && sys.length > 0)
    sysLine = sys[0] === '' ? 'unexpected end of input' : `unexpected ${sys[0]}`;
  if (err.msgs.length === 0) return 'unknown parse error';
  const lines = [
    sysLine,
    showMany('unexpected', unexpected),
    showMany('expecting', of(Kind.Expect)),
    showMany('', of(Kind.Message)),
  ];
  return clean(lines).join(' ').trim();
}

export type ParseResult<A> =
  { ok: true; value: A } | { ok: false; message: string; details: string };

/** `P.parse p name input` mapped the way PostgREST maps a ParseError to a PGRST100 body. */
export function parse<A>(p: Parser<A>, sourceName: string, input: string): ParseResult<A> {
  const r = p({ chars: [...input], i: 0, line: 1, col: 1 });
  if (r.ok) return { ok: true, value: r.value };
  return {
    ok: false,
    message: `"${sourceName}" (line ${r.err.line}, column ${r.err.col})`,
    details: describe(r.err),
  };
}
