/**
 * The embedded data endpoint: a read-only subset of PostgREST 12 behind Supabase's gateway rules,
 * answering from rows held in memory. Pure and isomorphic: no I/O, no Node APIs.
 */
import { z } from 'zod';
import { GATEWAY_ERRORS, PostgrestError, notImplemented } from './errors.js';
import { type Compiled, type TypedRow, compileFilter, compileTree } from './filter.js';
import { type OrderTerm, type SelectItem } from './grammar.js';
import { type PgType, compareValues, fromRow } from './pg-types.js';
import { embeddedError, parseReadQuery, splitQuery } from './query-params.js';
import { applyWindow, contentRange, requestWindow } from './range.js';
import { type OutputColumn, csv, jsonArray, jsonRow } from './render.js';
import { type TableDef, POSTHOG_EVENTS, resolveColumn } from './table.js';

export interface EndpointRequest {
  method: string;
  /** Absolute URL or path with query, e.g. `/rest/v1/posthog_events?select=*`. */
  url: string;
  /** Header names in any case. */
  headers: Record<string, string>;
  /** The request body of a write (always refused: the anon role may only read). */
  body?: string;
}
export interface EndpointResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}
export type EndpointHandler = (request: EndpointRequest) => EndpointResponse;

export interface EmbeddedEndpointOptions {
  /** Rows in table order, as PostgREST returns them for `select=*` (timestamps as strings). */
  rows: readonly Record<string, unknown>[];
  /** The served table; only `posthog_events` has a built-in definition. */
  table?: string;
  /** Column definitions for another table. */
  columns?: TableDef['columns'];
  /** The anon key the gateway accepts. */
  apiKey: string;
  /** PostgREST's db-max-rows. */
  maxRows?: number;
}

const REST_PREFIX = '/rest/v1';
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS',
  'access-control-allow-headers':
    'apikey,authorization,x-client-info,content-type,range,prefer,accept,accept-profile,content-profile',
  'access-control-expose-headers':
    'Content-Range,X-Total-Count,Content-Profile,Content-Location,Location',
};
const JSON_TYPE = 'application/json; charset=utf-8';

const valueSchema = (type: PgType) => {
  switch (type) {
    case 'bigint':
    case 'integer':
      return z.number().int().nullable();
    case 'double precision':
      return z.number().nullable();
    case 'text':
    case 'timestamp with time zone':
      return z.string().nullable();
  }
};

function typedRows(table: TableDef, rows: readonly Record<string, unknown>[]): TypedRow[] {
  const schema = z.object(
    Object.fromEntries(table.columns.map((c) => [c.name, valueSchema(c.type)])),
  );
  return rows.map((row, i) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success)
      throw new Error(`row ${i} does not fit ${table.name}: ${parsed.error.message}`);
    try {
      return table.columns.map((c) => fromRow(c.type, row[c.name]));
    } catch (error) {
      throw new Error(`row ${i} of ${table.name}: ${(error as Error).message}`, { cause: error });
    }
  });
}

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

/** The output columns of `select`, after PostgREST's planning checks and PostgreSQL's. */
/** PostgREST's own planning errors for `select`: embedding and aggregates. */
function checkSelectPlan(table: TableDef, select: SelectItem[]): void {
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
function outputColumns(table: TableDef, select: SelectItem[]): OutputColumn[] {
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

function comparator(
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

type CountPreference = 'exact' | 'planned' | 'estimated';
interface Preferences {
  count?: CountPreference;
  applied: string[];
}
const KNOWN_PREFERENCES: Record<string, RegExp> = {
  return: /^(minimal|headers-only|representation)$/,
  count: /^(exact|planned|estimated)$/,
  resolution: /^(merge-duplicates|ignore-duplicates)$/,
  missing: /^(default|null)$/,
  handling: /^(strict|lenient)$/,
  tx: /^(commit|rollback)$/,
  timezone: /^.+$/,
};
const UTC_NAMES = ['utc', 'etc/utc', 'gmt', 'etc/gmt', 'zulu', 'z', 'universal'];

/** `Prefer`: count (planned and estimated are answered exactly here), handling=strict, timezone. */
function preferences(header: string | undefined): Preferences {
  const items = (header ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const pairs = items.map((item) => {
    const [key = '', value = ''] = item.split('=').map((s) => s.trim());
    return { item, key, value, known: KNOWN_PREFERENCES[key]?.test(value) ?? false };
  });
  const first = (key: string) => pairs.find((p) => p.key === key && p.known)?.value;
  const strict = first('handling') === 'strict';
  const invalid = pairs.filter((p) => !p.known);
  if (strict && invalid.length > 0)
    throw new PostgrestError(
      400,
      'PGRST122',
      'Invalid preferences given with handling=strict',
      `Invalid preferences: ${invalid.map((p) => p.item).join(', ')}`,
    );
  const result: Preferences = { applied: [] };
  const count = first('count') as CountPreference | undefined;
  if (count) {
    result.count = count;
    result.applied.push(`count=${count}`);
  }
  const handling = first('handling');
  if (handling) result.applied.push(`handling=${handling}`);
  const timezone = first('timezone');
  if (timezone) {
    if (!UTC_NAMES.includes(timezone.toLowerCase()))
      throw notImplemented(`Prefer: timezone=${timezone} (only UTC)`);
    result.applied.push(`timezone=${timezone}`);
  }
  return result;
}

type Format = 'json' | 'csv' | 'object';
/** The first acceptable media type of `Accept`; PostgREST answers 415 PGRST107 when none is. */
function responseFormat(accept: string | undefined): Format {
  const types = (accept ?? '*/*')
    .split(',')
    .map((t) => t.split(';')[0]?.trim().toLowerCase() ?? '');
  for (const t of types) {
    if (t === '' || t === '*/*' || t === 'application/*' || t === 'application/json') return 'json';
    if (t === 'text/csv') return 'csv';
    if (t === 'application/vnd.pgrst.object+json' || t === 'application/vnd.pgrst.object')
      return 'object';
  }
  throw new PostgrestError(
    415,
    'PGRST107',
    `None of these media types are available: ${types.join(', ')}`,
  );
}

/** PostgREST rejects a Bearer token it cannot verify; the anon key itself is the only valid one here. */
function checkAuthorization(header: string | undefined, apiKey: string): void {
  const m = /^Bearer\s+(\S.*)$/i.exec(header ?? '');
  if (!m || m[1] === apiKey) return;
  const parts = (m[1] ?? '').split('.');
  const base64url = (p: string) => /^[A-Za-z0-9_-]*$/.test(p) && p.length % 4 !== 1;
  let message = 'JWSError JWSInvalidSignature';
  if (parts.length !== 3)
    message = `JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got ${parts.length})`;
  else if (!parts.every(base64url)) message = 'JWSError (JSONDecodeError "Not valid base64url")';
  throw new PostgrestError(401, 'PGRST301', message, null, null, { 'www-authenticate': 'Bearer' });
}

/**
 * A write, refused as PostgREST refuses it for a role granted only SELECT: after the checks
 * PostgREST makes first (method, query grammar, body, write-specific rules), 42501.
 */
function refuseWrite(
  table: TableDef,
  method: string,
  query: string,
  headers: Record<string, string | undefined>,
  body: string | undefined,
): never {
  if (!['POST', 'PATCH', 'PUT', 'DELETE'].includes(method))
    throw new PostgrestError(405, 'PGRST117', `Unsupported HTTP method: ${method}`);
  const parsed = parseReadQuery(query);
  if (
    (method === 'PATCH' || method === 'DELETE') &&
    parsed.range !== undefined &&
    parsed.order.length === 0
  )
    throw new PostgrestError(
      400,
      'PGRST109',
      "A 'limit' was applied without an explicit 'order'",
      null,
      "Apply an 'order' using unique column(s)",
    );
  if (method !== 'DELETE') {
    const type = (headers['content-type'] ?? 'application/json')
      .split(';')[0]
      ?.trim()
      .toLowerCase();
    if (type !== 'application/json')
      throw new PostgrestError(400, 'PGRST102', `Content-Type not acceptable: ${type}`);
    let payload: unknown;
    try {
      payload = JSON.parse(body ?? '');
    } catch {
      throw new PostgrestError(400, 'PGRST102', 'Empty or invalid json');
    }
    for (const object of Array.isArray(payload) ? payload : [payload]) {
      if (typeof object !== 'object' || object === null)
        throw new PostgrestError(400, 'PGRST102', 'Empty or invalid json');
      const unknown = Object.keys(object).find((k) => !table.columns.some((c) => c.name === k));
      if (unknown !== undefined)
        throw new PostgrestError(
          400,
          'PGRST204',
          `Column '${unknown}' of relation '${table.name}' does not exist`,
        );
    }
  }
  const only = parsed.filters[0];
  const byPrimaryKey =
    parsed.logic.length === 0 &&
    parsed.filters.length === 1 &&
    only?.field.name === table.columns[0]?.name &&
    only?.expr.operation.kind === 'op' &&
    only.expr.operation.op === 'eq' &&
    !only.expr.negated;
  if (method === 'PUT' && !byPrimaryKey)
    throw new PostgrestError(
      405,
      'PGRST105',
      "Filters must include all and only primary key columns with 'eq' operators",
    );
  throw new PostgrestError(401, '42501', `permission denied for table ${table.name}`, null, null, {
    'www-authenticate': 'Bearer',
  });
}

function errorResponse(
  error: PostgrestError,
  extra: Record<string, string> = {},
): EndpointResponse {
  return {
    status: error.status,
    headers: { ...CORS, 'content-type': JSON_TYPE, ...extra, ...error.headers },
    body: error.body(),
  };
}

function gateway(status: number, body: object): EndpointResponse {
  return { status, headers: { ...CORS, 'content-type': JSON_TYPE }, body: JSON.stringify(body) };
}

/**
 * Creates the endpoint over `rows`. The handler answers `/rest/v1/<table>` like the local
 * Supabase stack: the key rule of the gateway, then PostgREST's read path (select, filters,
 * and/or, order, limit/offset, Range, Prefer: count, the row cap) and its errors.
 */
export function createEmbeddedEndpoint(options: EmbeddedEndpointOptions): {
  handle: EndpointHandler;
} {
  const tableName = options.table ?? POSTHOG_EVENTS.name;
  const columns =
    options.columns ?? (tableName === POSTHOG_EVENTS.name ? POSTHOG_EVENTS.columns : undefined);
  if (!columns)
    throw new Error(`no column definitions for table ${tableName}; pass options.columns`);
  const table: TableDef = { name: tableName, columns };
  const rows = typedRows(table, options.rows);
  const maxRows = options.maxRows ?? 1000;
  if (!Number.isInteger(maxRows) || maxRows < 1)
    throw new Error(`maxRows must be a positive integer, got ${maxRows}`);

  function read(
    method: string,
    query: string,
    headers: Record<string, string | undefined>,
  ): EndpointResponse {
    // PostgREST's order of checks: grammar, range, its own planning, media type, preferences;
    // then PostgreSQL's planning (columns, operators) and only then the literals.
    const parsed = parseReadQuery(query);
    const window = requestWindow(method, headers.range, parsed.range);
    if (parsed.embedded !== undefined) throw embeddedError(parsed.embedded);
    checkSelectPlan(table, parsed.select);
    const format = responseFormat(headers.accept);
    const prefs = preferences(headers.prefer);
    const output = outputColumns(table, parsed.select);
    const compiled: Compiled[] = [
      ...parsed.logic.map((t) => compileTree(table, t)),
      ...parsed.filters.map((f) => compileFilter(table, f)),
    ];
    compiled.forEach((c) => c.check());
    const sort = comparator(table, parsed.order);
    const predicates = compiled.map((c) => c.bind());

    const matching = rows.filter((row) => predicates.every((p) => p(row) === true));
    if (sort) matching.sort(sort);
    const page = applyWindow(matching, window, maxRows);
    const applied: Record<string, string> =
      prefs.applied.length > 0 ? { 'preference-applied': prefs.applied.join(', ') } : {};
    let range: { status: number; contentRange: string };
    try {
      range = contentRange(window.offset, page.length, prefs.count ? matching.length : undefined);
    } catch (error) {
      if (error instanceof PostgrestError)
        throw new PostgrestError(
          error.status,
          error.code,
          error.message,
          error.details,
          error.hint,
          { ...error.headers, ...applied },
        );
      throw error;
    }
    let body: string;
    let contentType = JSON_TYPE;
    if (format === 'csv') {
      body = csv(output, page);
      contentType = 'text/csv; charset=utf-8';
    } else if (format === 'object') {
      if (page.length !== 1)
        throw new PostgrestError(
          406,
          'PGRST116',
          'JSON object requested, multiple (or no) rows returned',
          `The result contains ${page.length} rows`,
        );
      body = jsonRow(output, page[0] ?? []);
      contentType = 'application/vnd.pgrst.object+json; charset=utf-8';
    } else body = jsonArray(output, page);
    return {
      status: range.status,
      headers: {
        ...CORS,
        'content-type': contentType,
        'content-range': range.contentRange,
        ...applied,
      },
      body: method === 'HEAD' ? '' : body,
    };
  }

  const handle: EndpointHandler = (request) => {
    const method = request.method.toUpperCase();
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(request.headers))
      headers[name.toLowerCase()] = value;
    const url = new URL(request.url, 'http://embedded.invalid');
    const rawQuery = url.search.replace(/^\?/, '');
    if (method === 'OPTIONS') return { status: 200, headers: { ...CORS }, body: '' };
    if (url.pathname !== REST_PREFIX && !url.pathname.startsWith(`${REST_PREFIX}/`))
      return gateway(404, GATEWAY_ERRORS.noRoute);
    const queryKey = splitQuery(rawQuery).find((p) => p.key === 'apikey');
    const key = headers.apikey ?? (queryKey ? (queryKey.value ?? '') : undefined);
    if (key === undefined) return gateway(401, GATEWAY_ERRORS.noApiKey);
    if (key !== options.apiKey) return gateway(401, GATEWAY_ERRORS.invalidApiKey);
    // Like the gateway: the key never reaches PostgREST.
    const query = rawQuery
      .split('&')
      .filter((part) => part !== '' && splitQuery(part)[0]?.key !== 'apikey')
      .join('&');
    try {
      checkAuthorization(headers.authorization, options.apiKey);
      const resource = url.pathname.slice(REST_PREFIX.length + 1);
      if (resource !== table.name) {
        if (resource === '') throw notImplemented('the OpenAPI description at the root');
        throw new PostgrestError(
          404,
          '42P01',
          `relation "public.${decodeURIComponent(resource)}" does not exist`,
        );
      }
      if (method === 'GET' || method === 'HEAD') return read(method, query, headers);
      refuseWrite(table, method, query, headers, request.body);
    } catch (error) {
      if (error instanceof PostgrestError) {
        const response = errorResponse(error);
        return method === 'HEAD' ? { ...response, body: '' } : response;
      }
      throw error;
    }
  };
  return { handle };
}
