/**
 * The embedded data endpoint: a read-only subset of PostgREST 12 behind Supabase's gateway rules,
 * answering from rows held in memory. Pure and isomorphic: no I/O, no Node APIs.
 */
import { z } from 'zod';
import { GATEWAY_ERRORS, PostgrestError, notImplemented } from './errors.js';
import { type Compiled, type TypedRow, compileFilter, compileTree } from './filter.js';
import { checkAuthorization, preferences, responseFormat } from './headers.js';
import { type PgType, fromRow } from './pg-types.js';
import { checkSelectPlan, comparator, outputColumns } from './plan.js';
import { embeddedError, parseReadQuery, splitQuery } from './query-params.js';
import { applyWindow, contentRange, requestWindow } from './range.js';
import { csv, jsonArray, jsonRow } from './render.js';
import type { TableSpec } from '@localds/benchmarks';
import { type TableDef, pgTable } from './table.js';
import { refuseWrite } from './writes.js';

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
  /** The served table: its name and the benchmark's declared columns. */
  table: TableSpec;
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
  const table: TableDef = pgTable(options.table);
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
