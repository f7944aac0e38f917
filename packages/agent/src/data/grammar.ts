/**
 * PostgREST 12's query-string grammar (select, filters, and/or trees, order), written against the
 * Parsec clone so that failures produce PostgREST's PGRST100 wording and columns. Hand-written:
 * no library parses PostgREST's grammar.
 */
import {
  type Parser,
  alt,
  anyChar,
  between,
  bind,
  char,
  digit,
  eof,
  fail,
  lazy,
  left,
  letter,
  lookAhead,
  many,
  many1,
  map,
  noneOf,
  notFollowedBy,
  oneOf,
  option,
  optionMaybe,
  pure,
  sepBy,
  sepBy1,
  string,
  andThen,
  tryP,
  label,
} from './parsec.js';

export type JsonStep = { arrow: '->' | '->>'; key: string; index: boolean };
export interface Field {
  name: string;
  json: JsonStep[];
}

/** Every operator PostgREST 12 parses; the embedded endpoint evaluates a subset. */
export type SimpleOp =
  | 'eq'
  | 'neq'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'like'
  | 'ilike'
  | 'match'
  | 'imatch'
  | 'cs'
  | 'cd'
  | 'ov'
  | 'sl'
  | 'sr'
  | 'nxr'
  | 'nxl'
  | 'adj';
export type Trilean = 'null' | 'unknown' | 'true' | 'false';
export type Operation =
  | { kind: 'op'; op: SimpleOp; quantifier?: 'any' | 'all'; value: string }
  | { kind: 'in'; values: string[] }
  | { kind: 'is'; value: Trilean }
  | { kind: 'isdistinct'; value: string }
  | { kind: 'fts'; op: string; value: string };
export interface OpExpr {
  negated: boolean;
  operation: Operation;
}
export interface Filter {
  field: Field;
  expr: OpExpr;
}
export type LogicTree =
  | { kind: 'filter'; filter: Filter }
  | { kind: 'expr'; negated: boolean; op: 'and' | 'or'; children: LogicTree[] };

export interface OrderTerm {
  field: Field;
  relation?: string;
  direction?: 'asc' | 'desc';
  nulls?: 'nullsfirst' | 'nullslast';
}

export type SelectItem =
  | { kind: 'star' }
  | { kind: 'field'; field: Field; alias?: string; cast?: string; aggregate?: string }
  | { kind: 'relation'; name: string; spread: boolean };

const ws = many(oneOf(' \t'));
const lexeme = <A>(p: Parser<A>): Parser<A> => andThen(ws, left(p, ws));
const joined = (p: Parser<string[]>): Parser<string> => map(p, (cs) => cs.join(''));

export const pDelimiter = label(char('.'), 'delimiter (.)');

const pQuotedValue: Parser<string> = joined(
  between(char('"'), char('"'), many(alt(noneOf('\\"'), andThen(char('\\'), anyChar)))),
);
const pIdentifierChar = alt(letter, digit, oneOf('_ $'));
const pIdentifier: Parser<string> = map(joined(many1(pIdentifierChar)), (t) => t.trim());
const dash: Parser<string> = map(tryP(andThen(char('-'), notFollowedBy(char('>')))), () => '-');

export const pFieldName: Parser<string> = label(
  alt(
    pQuotedValue,
    map(sepBy1(pIdentifier, dash), (parts) => parts.join('-')),
  ),
  'field name (* or [a..z0..9_$])',
);

const jsonEnd: Parser<undefined> = alt(
  ...['->', '::', '.', ','].map((t) => tryP(map(lookAhead(string(t)), () => undefined))),
  tryP(eof),
);
const pJsonOperation: Parser<JsonStep> = bind(
  alt(tryP(string('->>')), tryP(string('->'))),
  (arrow) => {
    const index = bind(option('+', char('-')), (sign) =>
      left(
        map(many1(digit), (ds): JsonStep => ({
          arrow: arrow as JsonStep['arrow'],
          key: `${sign}${ds.join('')}`,
          index: true,
        })),
        jsonEnd,
      ),
    );
    const key = map(pFieldName, (k): JsonStep => ({
      arrow: arrow as JsonStep['arrow'],
      key: k,
      index: false,
    }));
    return alt(tryP(index), tryP(key));
  },
);
const pJsonPath = many(pJsonOperation);

const pField: Parser<Field> = lexeme(
  bind(pFieldName, (name) => map(option<JsonStep[]>([], pJsonPath), (json) => ({ name, json }))),
);

// --- filters ---------------------------------------------------------------------------------

const ciString = (word: string): Parser<string> =>
  [...word].reduce<Parser<string>>(
    (acc, c) => bind(acc, (sofar) => map(alt(char(c), char(c.toUpperCase())), (x) => sofar + x)),
    pure(''),
  );

const SIMPLE_OPS: SimpleOp[] = ['neq', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj'];
const QUANT_OPS: SimpleOp[] = ['eq', 'gte', 'gt', 'lte', 'lt', 'like', 'ilike', 'match', 'imatch'];
const FTS_OPS = ['fts', 'plfts', 'phfts', 'wfts'];

const choiceOfWords = <W extends string>(words: readonly W[]): Parser<W> =>
  label(alt(...words.map((w) => tryP(map(string(w), () => w)))), 'unknown single value operator');

function pOpExpr(pValue: Parser<string>): Parser<OpExpr> {
  const pIn = andThen(tryP(andThen(string('in'), pDelimiter)), pListVal);
  const pTrilean = label(
    alt(
      ...(['null', 'unknown', 'true', 'false'] as const).map((w) =>
        tryP(map(ciString(w), () => w)),
      ),
    ),
    'null or trilean value (unknown, true, false)',
  );
  const pIs = andThen(tryP(andThen(string('is'), pDelimiter)), pTrilean);
  const pIsDistinct = andThen(tryP(andThen(string('isdistinct'), pDelimiter)), pValue);
  const pFts = bind(alt(...FTS_OPS.map((w) => tryP(string(w)))), (op) =>
    andThen(
      optionMaybe(tryP(between(char('('), char(')'), pIdentifier))),
      andThen(
        pDelimiter,
        map(pValue, (value): Operation => ({ kind: 'fts', op, value })),
      ),
    ),
  );
  const pSimple = bind(choiceOfWords(SIMPLE_OPS), (op) =>
    andThen(
      pDelimiter,
      map(pValue, (value): Operation => ({ kind: 'op', op, value })),
    ),
  );
  const quantifier = alt(
    tryP(map(string('any'), () => 'any' as const)),
    map(string('all'), () => 'all' as const),
  );
  const pQuant = bind(choiceOfWords(QUANT_OPS), (op) =>
    bind(optionMaybe(tryP(between(char('('), char(')'), quantifier))), (q) =>
      andThen(
        pDelimiter,
        map(pValue, (value): Operation =>
          q === undefined ? { kind: 'op', op, value } : { kind: 'op', op, quantifier: q, value },
        ),
      ),
    ),
  );
  const pOperation: Parser<Operation> = label(
    alt<Operation>(
      map(pIn, (values) => ({ kind: 'in', values })),
      map(pIs, (value) => ({ kind: 'is', value })),
      map(pIsDistinct, (value) => ({ kind: 'isdistinct', value })),
      tryP(pFts),
      tryP(pSimple),
      tryP(pQuant),
    ),
    'operator (eq, gt, ...)',
  );
  const negation = alt(tryP(map(andThen(string('not'), pDelimiter), () => true)), pure(false));
  return bind(negation, (negated) => map(pOperation, (operation) => ({ negated, operation })));
}

const pSingleVal: Parser<string> = joined(many(anyChar));
const pListElement: Parser<string> = alt(
  tryP(left(pQuotedValue, notFollowedBy(noneOf(',)')))),
  joined(many(noneOf(',)'))),
);
const pListVal: Parser<string[]> = andThen(
  lexeme(char('(')),
  left(sepBy1(pListElement, char(',')), lexeme(char(')'))),
);

const pPgArray: Parser<string> = bind(string('{'), () =>
  bind(joined(many(noneOf('{}'))), (inner) => map(string('}'), () => `{${inner}}`)),
);
const pLogicSingleVal: Parser<string> = alt(
  tryP(left(pQuotedValue, notFollowedBy(noneOf(',)')))),
  tryP(pPgArray),
  joined(many(noneOf(',)'))),
);

export const pFilterValue: Parser<OpExpr> = pOpExpr(pSingleVal);

export const pLogicTree: Parser<LogicTree> = lazy(() => {
  const pLogicFilter = bind(pField, (field) =>
    andThen(
      pDelimiter,
      map(pOpExpr(pLogicSingleVal), (expr): Filter => ({ field, expr })),
    ),
  );
  const pNot = label(
    alt(tryP(map(andThen(string('not'), pDelimiter), () => true)), pure(false)),
    'negation operator (not)',
  );
  const pLogicOp = label(
    alt(
      tryP(map(string('and'), () => 'and' as const)),
      map(string('or'), () => 'or' as const),
    ),
    'logic operator (and, or)',
  );
  const children = andThen(
    lexeme(char('(')),
    left(sepBy1(pLogicTree, lexeme(char(','))), lexeme(char(')'))),
  );
  return alt<LogicTree>(
    map(tryP(pLogicFilter), (filter) => ({ kind: 'filter', filter })),
    bind(pNot, (negated) =>
      bind(pLogicOp, (op) => map(children, (cs) => ({ kind: 'expr', negated, op, children: cs }))),
    ),
  );
});

/** A filter key: `col`, `embedded.col`, `col->json`. */
export const pTreePath: Parser<{ path: string[]; field: Field }> = bind(
  sepBy1(pFieldName, pDelimiter),
  (names) =>
    map(option<JsonStep[]>([], pJsonPath), (json) => ({
      path: names.slice(0, -1),
      field: { name: names[names.length - 1] ?? '', json },
    })),
);

/** An and/or key: `or`, `not.and`, `embedded.or`. */
export const pLogicPath: Parser<{ path: string[]; op: string }> = map(
  sepBy1(pFieldName, pDelimiter),
  (names) => {
    const last = names[names.length - 1] ?? '';
    const path = names.slice(0, -1).filter((n) => n !== 'not');
    return { path, op: names.includes('not') ? `not.${last}` : last };
  },
);

// --- order -----------------------------------------------------------------------------------

const pOrderEnd: Parser<undefined> = alt(
  tryP(map(lookAhead(char(',')), () => undefined)),
  tryP(eof),
);
const pDirection = alt(
  tryP(map(andThen(pDelimiter, string('asc')), () => 'asc' as const)),
  tryP(map(andThen(pDelimiter, string('desc')), () => 'desc' as const)),
);
const pNulls = alt(
  tryP(map(andThen(pDelimiter, string('nullsfirst')), () => 'nullsfirst' as const)),
  tryP(map(andThen(pDelimiter, string('nullslast')), () => 'nullslast' as const)),
);
const orderTail = (field: Field, relation?: string): Parser<OrderTerm> =>
  bind(optionMaybe(pDirection), (direction) =>
    map(
      alt(
        left(optionMaybe(pNulls), pOrderEnd),
        map(pOrderEnd, () => undefined),
      ),
      (nulls) => {
        const term: OrderTerm = { field };
        if (relation !== undefined) term.relation = relation;
        if (direction !== undefined) term.direction = direction;
        if (nulls !== undefined) term.nulls = nulls;
        return term;
      },
    ),
  );
const pOrderTerm = bind(pField, (field) => orderTail(field));
const pOrderRelationTerm = bind(pFieldName, (relation) =>
  bind(between(char('('), char(')'), pField), (field) => orderTail(field, relation)),
);
export const pOrder: Parser<OrderTerm[]> = sepBy1(
  lexeme(alt(tryP(pOrderRelationTerm), pOrderTerm)),
  char(','),
);

// --- select ----------------------------------------------------------------------------------

const aliasSeparator = andThen(char(':'), notFollowedBy(char(':')));
const pAlias = optionMaybe(tryP(left(pFieldName, aliasSeparator)));
const pSelectEnd: Parser<undefined> = alt(
  tryP(map(lookAhead(string(')')), () => undefined)),
  tryP(map(lookAhead(string(',')), () => undefined)),
  tryP(eof),
);
const pCast = optionMaybe(andThen(string('::'), pIdentifier));
const pEmbedParam = andThen(
  char('!'),
  alt(tryP(string('left')), tryP(string('inner')), tryP(pFieldName)),
);
const pEmbedParams = andThen(optionMaybe(pEmbedParam), optionMaybe(pEmbedParam));

const pRelationSelect: Parser<SelectItem> = lexeme(
  bind(pAlias, () =>
    bind(pFieldName, (name) =>
      name === 'count'
        ? fail<SelectItem>('')
        : andThen(
            pEmbedParams,
            map(tryP(lookAhead(string('('))), (): SelectItem => ({
              kind: 'relation',
              name,
              spread: false,
            })),
          ),
    ),
  ),
);
const pSpreadRelationSelect: Parser<SelectItem> = lexeme(
  andThen(
    string('...'),
    bind(pFieldName, (name) =>
      andThen(
        pEmbedParams,
        map(tryP(lookAhead(string('('))), (): SelectItem => ({
          kind: 'relation',
          name,
          spread: true,
        })),
      ),
    ),
  ),
);
const pAggregation = alt(
  string('sum'),
  string('avg'),
  string('count'),
  tryP(string('max')),
  tryP(string('min')),
);
const pFieldSelect: Parser<SelectItem> = lexeme(
  alt<SelectItem>(
    tryP(
      andThen(
        string('*'),
        map(pSelectEnd, (): SelectItem => ({ kind: 'star' })),
      ),
    ),
    tryP(
      bind(pAlias, (alias) =>
        andThen(
          string('count()'),
          andThen(
            pCast,
            map(pSelectEnd, (): SelectItem => ({
              kind: 'field',
              field: { name: '*', json: [] },
              ...(alias ? { alias } : {}),
              aggregate: 'count',
            })),
          ),
        ),
      ),
    ),
    bind(pAlias, (alias) =>
      bind(pField, (field) =>
        bind(pCast, (cast) =>
          bind(
            optionMaybe(tryP(left(andThen(char('.'), pAggregation), string('()')))),
            (aggregate) =>
              andThen(
                pCast,
                map(pSelectEnd, (): SelectItem => {
                  const item: SelectItem = { kind: 'field', field };
                  if (alias !== undefined) item.alias = alias;
                  if (cast !== undefined) item.cast = cast;
                  if (aggregate !== undefined) item.aggregate = aggregate;
                  return item;
                }),
              ),
          ),
        ),
      ),
    ),
  ),
);

/** The select tree; embedded resources are parsed (so errors match) but carry no children here. */
export const pSelect: Parser<SelectItem[]> = lazy(() => {
  const nested = between(char('('), char(')'), pSelect);
  const tree = alt<SelectItem>(
    bind(tryP(pSpreadRelationSelect), (item) => map(nested, () => item)),
    bind(tryP(pRelationSelect), (item) => map(nested, () => item)),
    pFieldSelect,
  );
  return sepBy(tree, lexeme(char(',')));
});

/**
 * Haskell's `readMaybe :: String -> Maybe Integer`, which PostgREST applies to `limit` and
 * `offset`: surrounding spaces and parentheses, a minus sign, hex (0x) and octal (0o) literals.
 */
export function readInteger(text: string): bigint | undefined {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1).trim();
  let negative = false;
  if (t.startsWith('-')) {
    negative = true;
    t = t.slice(1).trim();
    while (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1).trim();
  }
  let value: bigint;
  if (/^[0-9]+$/.test(t)) value = BigInt(t);
  else if (/^0[xX][0-9a-fA-F]+$/.test(t)) value = BigInt(`0x${t.slice(2)}`);
  else if (/^0[oO][0-7]+$/.test(t)) value = BigInt(`0o${t.slice(2)}`);
  else return undefined;
  return negative ? -value : value;
}

export const pComma = lexeme(char(','));
