// The harness side of model code's network: every request is checked against an allow-list of URL
// prefixes, answered by the harness's FetchHandler or refused, and recorded with the key removed.
import { BLOCKED_HEADER } from './fetch-response.js';
import type { DataEndpointSpec } from './data-network.js';
import type { FetchHandler, RequestRecord, SandboxRequest, SandboxResponse } from '../types.js';

/** Removes the `apikey` query parameter (Supabase's key) so a URL can be recorded or shown. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL we can parse: strip anything that looks like apikey=… by hand.
    return url.replace(/([?&])apikey=[^&#]*&?/gi, '$1').replace(/[?&]$/, '');
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (key.toLowerCase() === 'apikey') parsed.searchParams.delete(key);
  }
  return parsed.toString();
}

/** True when `url` starts with one of the prefixes, compared on parsed URLs so `http://a.b.evil` ≠ `http://a.b`. */
export function isAllowed(url: string, allowPrefixes: readonly string[]): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  return allowPrefixes.some((prefix) => {
    const allowed = new URL(prefix);
    if (target.origin !== allowed.origin) return false;
    const base = allowed.pathname.endsWith('/') ? allowed.pathname : `${allowed.pathname}/`;
    return target.pathname === allowed.pathname || target.pathname.startsWith(base);
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 200);
  }
}

/** A header's value whatever the case of its name. */
export function header(headers: Record<string, string>, name: string): string | null {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? null : (headers[key] ?? null);
}

/** Rows in a JSON-array body (what the data-access check counts), else null. */
function rowsIn(body: Uint8Array | string): number | null {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  if (!text.trimStart().startsWith('[')) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.length : null;
  } catch {
    return null;
  }
}

export interface AnsweredRequest {
  response: SandboxResponse;
  record: RequestRecord;
}

const textPlain = { 'content-type': 'text/plain; charset=utf-8' };

/**
 * Why a request outside the allow-list was refused, in words for the model and the trace: this sandbox
 * answers the run's data URL only, and which one (keys never appear: URLs are redacted).
 */
export function blockedReason(url: string, allowPrefixes: readonly string[]): string {
  const allowed = allowPrefixes.map(redactUrl);
  const only = allowed.length
    ? `this sandbox only answers the run's data URL, ${allowed.join(', ')}`
    : 'this sandbox answers no URL at all (the run has no data URL)';
  return `request to ${hostOf(url)} blocked: ${only}; every other host is unreachable from model code`;
}

/** The 403 (and its record) for a request outside the allow-list: it is never forwarded. */
export function refuseRequest(
  req: SandboxRequest,
  allowPrefixes: readonly string[],
  durationMs = 0,
): AnsweredRequest {
  const reason = blockedReason(req.url, allowPrefixes);
  return {
    response: {
      status: 403,
      // The reason also travels as a header, for clients that drop a 403's body.
      headers: { ...textPlain, [BLOCKED_HEADER]: reason },
      body: `localds sandbox: ${reason}\n`,
    },
    record: { ...recordBase(req), status: 403, allowed: false, durationMs, blocked: reason },
  };
}

/** The record of an allowed request and its answer, with what the harness itself saw of the rows. */
export function recordAnswer(
  req: SandboxRequest,
  response: SandboxResponse,
  durationMs: number,
): RequestRecord {
  // What the harness itself saw, so the trace's data-access evidence does not rest on the model's word.
  return {
    ...recordBase(req),
    status: response.status,
    allowed: true,
    durationMs,
    rowsReturned: rowsIn(response.body),
    contentRange: header(response.headers, 'content-range'),
    rangeHeader: header(req.headers, 'range'),
  };
}

/** The 502 (and its record) for an allowed request whose answer could not be produced. */
export function failedAnswer(
  req: SandboxRequest,
  what: string,
  err: unknown,
  durationMs: number,
): AnsweredRequest {
  const message = err instanceof Error ? err.message : String(err);
  return {
    response: { status: 502, headers: textPlain, body: `localds sandbox: ${what}: ${message}` },
    record: { ...recordBase(req), status: 502, allowed: true, durationMs, error: message },
  };
}

function recordBase(req: SandboxRequest): Pick<RequestRecord, 'method' | 'url'> {
  return { method: req.method.toUpperCase(), url: redactUrl(req.url) };
}

/** Answers one request from model code: refused (403), answered by the handler, or 502 if the handler threw. */
export async function answerRequest(
  req: SandboxRequest,
  allowPrefixes: readonly string[],
  handler: FetchHandler | undefined,
): Promise<AnsweredRequest> {
  const { response, record } = await answerLazily(req, allowPrefixes, handler);
  return { response, record: record() };
}

/**
 * answerRequest with the record worked out when asked for: it parses the whole body to count the rows,
 * which the kernel waiting for the response need not wait for.
 */
async function answerLazily(
  req: SandboxRequest,
  allowPrefixes: readonly string[],
  handler: FetchHandler | undefined,
): Promise<NetworkAnswer> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (!handler || !isAllowed(req.url, allowPrefixes)) {
    return settledAnswer(refuseRequest(req, allowPrefixes, elapsed()));
  }
  try {
    const response = await handler(req);
    const durationMs = elapsed();
    return { response, record: () => recordAnswer(req, response, durationMs) };
  } catch (err) {
    return settledAnswer(failedAnswer(req, 'the data endpoint failed', err, elapsed()));
  }
}

/** A request's answer, and its record worked out only when asked for (see data-network.ts). */
export interface NetworkAnswer {
  response: SandboxResponse;
  record(): RequestRecord;
}

/** An answer whose record is already worked out (a refusal, a failure). */
export const settledAnswer = ({ response, record }: AnsweredRequest): NetworkAnswer => ({
  response,
  record: () => record,
});

/**
 * Model code's network, the one every isolation level is given: what it may reach, and the harness's
 * answer (never rejects: a failure is a 502 with its record). `spec` is set when the network is the
 * run's embedded data endpoint, which a level that answers inside its kernel (the browser worker)
 * rebuilds there.
 */
export interface SandboxNetwork {
  readonly allowedPrefixes: readonly string[];
  answer(req: SandboxRequest): Promise<NetworkAnswer>;
  readonly spec?: DataEndpointSpec;
}

/** A network answered by a FetchHandler under an allow-list (the Node harness's embedded endpoint). */
export function handlerNetwork(
  allowedPrefixes: readonly string[],
  handler: FetchHandler | undefined,
): SandboxNetwork {
  for (const prefix of allowedPrefixes) {
    if (!URL.canParse(prefix)) throw new Error(`allowedUrlPrefixes: ${prefix} is not a URL`);
  }
  return {
    allowedPrefixes,
    answer: (req) => answerLazily(req, allowedPrefixes, handler),
  };
}

/** A network that reaches nothing: every request is refused with the reason. */
export const NO_NETWORK: SandboxNetwork = handlerNetwork([], undefined);
