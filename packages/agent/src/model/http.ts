// HTTP plumbing for OpenAI-compatible servers: connect with a timeout and retries (connection
// failures only), classify what went wrong into a ModelError, and pull the server's own error
// message out of an error body. The API key only ever travels in the Authorization header.

import { z } from 'zod';
import { ModelError } from './errors.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface ServerOptions {
  /** Base URL including `/v1`, as llama.cpp, Ollama, LM Studio and vLLM document it. */
  baseUrl: string;
  apiKey?: string;
  /**
   * Time allowed to reach the server: GET /models must answer within it. Chat requests check
   * reachability this way first, because fetch cannot tell a slow connection from a server
   * that is still reading the prompt. Default 10 s.
   */
  connectTimeoutMs?: number;
  /** Connection attempts after the first one, with exponential backoff. Default 2. */
  retries?: number;
  /** First backoff delay; doubles each retry. Default 500 ms. */
  retryDelayMs?: number;
  fetch?: FetchLike;
  /**
   * Origin of the page making the request, to tell a CORS refusal from a dead server. Defaults
   * to `location.origin` in a browser; unset in Node, where CORS does not apply.
   */
  pageOrigin?: string;
}

/** A connected request: the response plus the controller that can still cut its body. */
export interface Connection {
  response: Response;
  /** Aborts the request; `reason` says why, for the error that follows. */
  cut(reason: 'read-timeout'): void;
  cutReason(): 'read-timeout' | 'abort' | undefined;
  /** Detaches from the caller's signal. */
  close(): void;
}

/** Parses and checks a base URL; strips trailing slashes so `${base}/models` is right. */
export function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ModelError('invalid-config', `base URL "${baseUrl}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ModelError(
      'invalid-config',
      `base URL "${baseUrl}" must start with http:// or https://`,
    );
  }
  if (url.username || url.password) {
    // Credentials in the URL would end up in ids, logs and error messages.
    throw new ModelError(
      'invalid-config',
      'the base URL must not contain credentials; pass the key as the API key instead',
    );
  }
  return url.href.replace(/\/+$/, '');
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Request headers; the key goes here and nowhere else. */
export function headers(
  apiKey: string | undefined,
  accept: 'application/json' | 'text/event-stream',
): Record<string, string> {
  const h: Record<string, string> = { accept };
  if (accept === 'text/event-stream') h['content-type'] = 'application/json';
  if (apiKey) h.authorization = `Bearer ${apiKey}`;
  return h;
}

/** Removes the key from any text that could reach a user, should a server echo it back. */
export function redactKey(text: string, apiKey: string | undefined): string {
  return apiKey ? text.split(apiKey).join('[redacted]') : text;
}

/**
 * How long to wait for the response headers, and what it means when they do not come.
 * 'connect': the server should answer at once (GET /models); silence means it is unreachable,
 * and the request is retried. 'read': the server may legitimately be busy before answering
 * (llama-server sent no headers until it had read the whole prompt before mid-2026,
 * ggml-org/llama.cpp#23884), so silence is a read timeout and is never retried: a retry would
 * queue behind the request still running.
 */
export interface HeadersWait {
  ms: number;
  kind: 'connect' | 'read';
}

/**
 * Sends the request, retrying connection failures (never after a response has started) with
 * exponential backoff. Resolves once the headers are in; rejects with a ModelError, or with
 * AbortedError when `signal` fires.
 */
export async function connect(
  url: string,
  init: RequestInit,
  options: ServerOptions,
  signal: AbortSignal | undefined,
  wait: HeadersWait,
): Promise<Connection> {
  const fetchImpl: FetchLike = options.fetch ?? ((u, i) => fetch(u, i));
  const retries = options.retries ?? 2;
  let delay = options.retryDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(signal);
    const controller = new AbortController();
    let reason: 'read-timeout' | 'abort' | 'headers-timeout' | undefined;
    const onAbort = (): void => {
      reason = 'abort';
      controller.abort();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      reason = 'headers-timeout';
      controller.abort();
    }, wait.ms);
    try {
      const response = await fetchImpl(url, { ...init, signal: controller.signal });
      return {
        response,
        cut: (why) => {
          reason ??= why;
          controller.abort();
        },
        cutReason: () => (reason === 'headers-timeout' ? undefined : reason),
        close: () => signal?.removeEventListener('abort', onAbort),
      };
    } catch (error) {
      signal?.removeEventListener('abort', onAbort);
      throwIfAborted(signal);
      if (reason === 'headers-timeout' && wait.kind === 'read') {
        throw new ModelError(
          'read-timeout',
          `${url} accepted the request but sent no response within ${wait.ms} ms (read timeout); ` +
            'a server that reads a long prompt before answering needs a longer read timeout',
        );
      }
      const failure = connectionFailure(url, error, reason === 'headers-timeout', wait.ms, options);
      if (attempt > retries) {
        throw new ModelError(
          failure.code,
          `${failure.message} (${attempt} attempt${attempt > 1 ? 's' : ''})`,
          { attempts: attempt },
        );
      }
      await sleep(delay, signal);
      delay *= 2;
    } finally {
      clearTimeout(timer);
    }
  }
}

function connectionFailure(
  url: string,
  error: unknown,
  timedOut: boolean,
  ms: number,
  options: ServerOptions,
): { code: 'unreachable' | 'cors'; message: string } {
  if (timedOut) {
    return { code: 'unreachable', message: `no answer from ${url} within ${ms} ms` };
  }
  const cause = causeCode(error);
  if (cause) {
    return {
      code: 'unreachable',
      message: `could not connect to ${url}: ${describeCause(cause)}; is the server running, and does the base URL include /v1?`,
    };
  }
  const pageOrigin = options.pageOrigin ?? browserOrigin();
  if (pageOrigin && error instanceof TypeError && new URL(url).origin !== pageOrigin) {
    // A browser reports a CORS refusal and a dead server the same way: a bare TypeError.
    return {
      code: 'cors',
      message:
        `the browser could not fetch ${url} from ${pageOrigin}: either the server is not running, ` +
        `or it does not allow cross-origin requests from this page. llama.cpp's llama-server allows ` +
        `them by default (newer builds restrict them with --cors-origins; add ${pageOrigin}); ` +
        `Ollama needs OLLAMA_ORIGINS=${pageOrigin} in its environment; LM Studio needs "Enable CORS" ` +
        `in its server settings (or lms server start --cors); vLLM allows any origin unless ` +
        `--allowed-origins narrows it.`,
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { code: 'unreachable', message: `could not connect to ${url}: ${text}` };
}

/** Node's fetch wraps socket errors: TypeError('fetch failed') with `cause.code`. */
function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing is listening there)',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS lookup failed)',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  // A kept-alive connection the server closed, found closed when this request was sent on it.
  UND_ERR_SOCKET: 'the connection closed before any response (the server went away)',
};

function describeCause(code: string): string {
  return CAUSES[code] ? `${CAUSES[code]} [${code}]` : code;
}

function browserOrigin(): string | undefined {
  const g = globalThis as { location?: { origin?: unknown } };
  return typeof g.location?.origin === 'string' ? g.location.origin : undefined;
}

const ErrorBodySchema = z.union([
  // OpenAI, llama.cpp, vLLM, Ollama's /v1 routes: {"error": {"message": …}}
  z.object({ error: z.object({ message: z.string() }) }),
  // Ollama's native routes and some proxies: {"error": "…"}
  z.object({ error: z.string() }),
  // older vLLM: {"object": "error", "message": …}; FastAPI servers: {"detail": "…"}
  z.object({ message: z.string() }),
  z.object({ detail: z.string() }),
]);

/** The server's own words from an error body, JSON or plain text. */
export function serverMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    const text = body.trim();
    return text ? clip(text) : undefined;
  }
  const result = ErrorBodySchema.safeParse(parsed);
  if (!result.success) return clip(body.trim());
  const data = result.data;
  if ('error' in data)
    return clip(typeof data.error === 'string' ? data.error : data.error.message);
  return clip('message' in data ? data.message : data.detail);
}

/** Turns an HTTP error response into a ModelError carrying the server's message. */
export async function httpError(
  url: string,
  response: Response,
  apiKey: string | undefined,
): Promise<ModelError> {
  let body = '';
  try {
    body = await response.text();
  } catch {
    // The body is only for the message; the status alone still says what happened.
  }
  const said = serverMessage(body);
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  let hint = '';
  if (response.status === 401 || response.status === 403) {
    hint = apiKey
      ? ' The server refused the API key.'
      : ' The server wants an API key and none was given.';
  } else if (response.status === 404) {
    hint = ' Check that the base URL includes /v1 and that the model name is one the server lists.';
  }
  const message = `HTTP ${status} from ${url}${said ? `: ${said}` : ''}.${hint}`;
  return new ModelError('http', redactKey(message, apiKey), { status: response.status });
}

export function clip(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError();
}

/** The caller aborted; not a failure. */
export class AbortedError extends Error {
  override readonly name = 'AbortedError';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
