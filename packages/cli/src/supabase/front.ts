import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
  createServer,
  request,
} from 'node:http';
import { GATEWAY_ERRORS as EMBEDDED_GATEWAY_ERRORS } from '@localds/agent/data';

/** Supabase serves PostgREST under this prefix; PostgREST itself serves at its root. */
const REST_PREFIX = '/rest/v1';

/**
 * Response bodies of Supabase's API gateway (Kong), shared with the embedded endpoint so both
 * surfaces answer alike; the front adds the one for a dead upstream.
 */
export const GATEWAY_ERRORS = {
  ...EMBEDDED_GATEWAY_ERRORS,
  badUpstream: { message: 'An invalid response was received from the upstream server' },
} as const;

const ALLOWED_HEADERS = [
  'apikey',
  'authorization',
  'x-client-info',
  'content-type',
  'range',
  'prefer',
  'accept',
  'accept-profile',
  'content-profile',
];
const ALLOWED_METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS';
const EXPOSED_HEADERS = 'Content-Range,X-Total-Count,Content-Profile,Content-Location,Location';
/** Per-connection headers that must not be copied from one hop to the next. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host']);

export interface FrontOptions {
  /** Where PostgREST listens. */
  upstream: { host: string; port: number };
  /** The one API key this front accepts (the stack's anon key). */
  anonKey: string;
}

/**
 * CORS like Supabase's gateway: any origin, the headers supabase-js sends plus whatever a
 * preflight asks for, and the response headers a paginating client must read.
 */
function corsHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  const requested = (req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': ALLOWED_METHODS,
    'access-control-allow-headers': [...new Set([...ALLOWED_HEADERS, ...requested])].join(','),
    'access-control-expose-headers': EXPOSED_HEADERS,
  };
}

function sendJson(
  res: ServerResponse,
  status: number,
  cors: OutgoingHttpHeaders,
  body: object,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...cors,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The raw query split into its `name=value` parts, so forwarded bytes stay exactly as sent. */
function queryParts(rawQuery: string): { name: string; raw: string }[] {
  return rawQuery
    .split('&')
    .filter(Boolean)
    .map((raw) => {
      const name = raw.split('=')[0] ?? '';
      try {
        return { name: decodeURIComponent(name.replace(/\+/g, ' ')), raw };
      } catch {
        return { name, raw };
      }
    });
}

/** The request's API key: the `apikey` header first, then the `apikey` query parameter. */
function apiKeyOf(
  req: IncomingMessage,
  params: { name: string; raw: string }[],
): string | undefined {
  const header = req.headers.apikey;
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader !== undefined) return fromHeader;
  const param = params.find((p) => p.name === 'apikey');
  return param ? (new URLSearchParams(param.raw).get('apikey') ?? '') : undefined;
}

function upstreamHeaders(incoming: IncomingHttpHeaders, anonKey: string): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (!HOP_BY_HOP.has(name) && name !== 'apikey' && value !== undefined) headers[name] = value;
  }
  // Like the gateway: a request that carries only the key acts as that key's role.
  headers.authorization ??= `Bearer ${anonKey}`;
  return headers;
}

function downstreamHeaders(
  incoming: IncomingHttpHeaders,
  cors: OutgoingHttpHeaders,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    const ours = HOP_BY_HOP.has(name) || name.startsWith('access-control-');
    if (!ours && value !== undefined) headers[name] = value;
  }
  return { ...headers, ...cors };
}

function handle(options: FrontOptions, req: IncomingMessage, res: ServerResponse): void {
  const cors = corsHeaders(req);
  if (req.method === 'OPTIONS') {
    res.writeHead(200, { ...cors, 'content-length': 0 });
    res.end();
    return;
  }
  const target = req.url ?? '/';
  const queryAt = target.indexOf('?');
  const pathname = queryAt < 0 ? target : target.slice(0, queryAt);
  const params = queryAt < 0 ? [] : queryParts(target.slice(queryAt + 1));
  if (pathname !== REST_PREFIX && !pathname.startsWith(`${REST_PREFIX}/`)) {
    sendJson(res, 404, cors, GATEWAY_ERRORS.noRoute);
    return;
  }
  const key = apiKeyOf(req, params);
  if (key === undefined) {
    sendJson(res, 401, cors, GATEWAY_ERRORS.noApiKey);
    return;
  }
  if (key !== options.anonKey) {
    sendJson(res, 401, cors, GATEWAY_ERRORS.invalidApiKey);
    return;
  }
  const query = params.filter((p) => p.name !== 'apikey').map((p) => p.raw);
  const path =
    (pathname.slice(REST_PREFIX.length) || '/') + (query.length ? `?${query.join('&')}` : '');
  const proxied = request(
    {
      host: options.upstream.host,
      port: options.upstream.port,
      method: req.method,
      path,
      headers: upstreamHeaders(req.headers, options.anonKey),
    },
    (upstream) => {
      res.writeHead(upstream.statusCode ?? 502, downstreamHeaders(upstream.headers, cors));
      upstream.pipe(res);
    },
  );
  proxied.on('error', () => {
    if (!res.headersSent) sendJson(res, 502, cors, GATEWAY_ERRORS.badUpstream);
    else res.destroy();
  });
  // A client that hangs up should not leave PostgREST streaming into the void.
  res.on('close', () => proxied.destroy());
  req.pipe(proxied);
}

/**
 * The Supabase-shaped front of a local stack: `/rest/v1/…` proxied to PostgREST's root, the
 * API key enforced as Supabase's gateway does, CORS on every response, bodies streamed.
 */
export function createFront(options: FrontOptions): Server {
  return createServer((req, res) => handle(options, req, res));
}
