// Model code's network when the sandbox serves the run's data itself (the browser worker). Requests
// under the project's /rest/v1/ are answered from the run's rows by the embedded endpoint, synchronously,
// so a synchronous XMLHttpRequest (urllib3, and with it `requests`, in Pyodide without JSPI) works like
// fetch. In live Supabase mode (the page) they are forwarded to the project with its key, and any
// difference from the snapshot's answer is recorded as drift. Everything else is refused.
import type { TableSpec } from '@localds/benchmarks';
import type { DataRow } from '@localds/scorer';
import { createEmbeddedEndpoint } from '../../data/handler.js';
import {
  failedAnswer,
  header,
  isAllowed,
  recordAnswer,
  refuseRequest,
  settledAnswer,
  type NetworkAnswer,
  type SandboxNetwork,
} from './network.js';
import type { SandboxRequest, SandboxResponse } from '../types.js';

/** Everything a sandbox needs to serve the run's data; structured-cloneable, so it can cross into a worker. */
export interface DataEndpointSpec {
  /** The project URL, without a trailing slash (e.g. `http://embedded.localds.invalid`). */
  project: string;
  /** The benchmark's table: name and columns (the endpoint validates rows and filters by them). */
  table: TableSpec;
  /** The run's own key, the one supabase.json holds; requests without it get PostgREST's 401. */
  apiKey: string;
  rows: readonly DataRow[];
  /**
   * Live Supabase mode: the project's real key. Allowed requests go to the live project, with the run's
   * key swapped for this one, so the real key never enters model code's reach.
   */
  liveKey?: string;
}

/**
 * How a live request reaches the project: asynchronously (the page's main thread, which records every
 * request) or synchronously (the sandbox worker, which answers model code and may not wait on anyone).
 */
export interface LiveTransport {
  fetch?(req: SandboxRequest): Promise<SandboxResponse>;
  fetchSync?(req: SandboxRequest): SandboxResponse;
}

/** A LiveTransport over a fetch (the main thread's, never one model code can reach). */
export function fetchTransport(fetchImpl: typeof fetch): LiveTransport {
  return {
    async fetch(req) {
      const response = await fetchImpl(req.url, {
        method: req.method,
        headers: req.headers,
        ...(req.body ? { body: req.body } : {}),
        credentials: 'omit',
      });
      return {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: new Uint8Array(await response.arrayBuffer()),
      };
    },
  };
}

/**
 * A response and its record, worked out only when asked for: the worker needs the response alone
 * (the main thread records every request from its own answer).
 */
export type DataAnswer = NetworkAnswer;

/** The run's embedded data endpoint as model code's network (see SandboxNetwork). */
export interface DataNetwork extends SandboxNetwork {
  /** The only URL prefix model code may reach. */
  readonly allowedPrefix: string;
  readonly spec: DataEndpointSpec;
  /** The snapshot's answer, with no allow-list (for harnesses that apply their own). */
  snapshot(req: SandboxRequest): SandboxResponse;
  answer(req: SandboxRequest): Promise<DataAnswer>;
  answerSync(req: SandboxRequest): DataAnswer;
}

const decoder = new TextDecoder();
const text = (body: Uint8Array | string) =>
  typeof body === 'string' ? body : decoder.decode(body);

/** The JSON body re-serialised (so formatting does not count as drift), else the raw text. */
function canonical(body: Uint8Array | string): { json: unknown; text: string } {
  const raw = text(body);
  try {
    const json: unknown = JSON.parse(raw);
    return { json, text: JSON.stringify(json) };
  } catch {
    return { json: undefined, text: raw };
  }
}

/** How the live answer differs from the snapshot's, in one phrase; null when it does not. */
export function describeDrift(snapshot: SandboxResponse, live: SandboxResponse): string | null {
  if (snapshot.status !== live.status) {
    return `status ${live.status} live, ${snapshot.status} from the snapshot`;
  }
  const total = (r: SandboxResponse) => header(r.headers, 'content-range')?.split('/')[1];
  const [snapTotal, liveTotal] = [total(snapshot), total(live)];
  if (snapTotal && liveTotal && snapTotal !== liveTotal && snapTotal !== '*') {
    return `the table holds ${liveTotal} rows live, ${snapTotal} in the snapshot`;
  }
  const [a, b] = [canonical(snapshot.body), canonical(live.body)];
  if (a.text === b.text) return null;
  if (Array.isArray(a.json) && Array.isArray(b.json) && a.json.length !== b.json.length) {
    return `${b.json.length} rows live, ${a.json.length} from the snapshot`;
  }
  return 'same status and row count, different content';
}

// Captured at load. In the sandbox worker this code runs after model code, which can replace any
// intrinsic (String.prototype.split, Array.prototype.join, Object.entries…); the project's key must
// only ever pass through functions taken before it could.
const { apply } = Reflect;
const { replaceAll } = String.prototype;
const { hasOwn } = Object;
const swapAll = (value: string, from: string, to: string) =>
  apply(replaceAll, value, [from, to]) as string;

/** The request as the live project must see it: the project's key wherever the run's key was. */
function withLiveKey(req: SandboxRequest, runKey: string, liveKey: string): SandboxRequest {
  const headers: Record<string, string> = {};
  for (const name in req.headers) {
    const value = req.headers[name];
    if (hasOwn(req.headers, name) && typeof value === 'string') {
      headers[name] = swapAll(value, runKey, liveKey);
    }
  }
  return { ...req, url: swapAll(req.url, runKey, liveKey), headers };
}

/** The only URL prefix model code may reach for a project (no trailing slash): its REST API. */
export function dataPrefix(project: string): string {
  return `${project}/rest/v1/`;
}

export function createDataNetwork(spec: DataEndpointSpec, live?: LiveTransport): DataNetwork {
  const prefixPath = new URL(spec.project).pathname.replace(/\/$/, '');
  const allowedPrefix = dataPrefix(spec.project);
  const { handle } = createEmbeddedEndpoint({
    rows: spec.rows,
    table: spec.table,
    apiKey: spec.apiKey,
  });
  if (spec.liveKey !== undefined && !live?.fetch && !live?.fetchSync) {
    throw new Error('live Supabase mode needs a transport to the project');
  }

  function snapshot(req: SandboxRequest): SandboxResponse {
    const target = new URL(req.url);
    const method = req.method.toUpperCase();
    const body =
      req.body && method !== 'GET' && method !== 'HEAD' ? decoder.decode(req.body) : undefined;
    const answer = handle({
      method,
      url: `${target.pathname.slice(prefixPath.length) || '/'}${target.search}`,
      headers: req.headers,
      ...(body === undefined ? {} : { body }),
    });
    return { status: answer.status, headers: answer.headers, body: answer.body };
  }

  /**
   * One request, sync or async alike: `forward` is only called in live mode, for a read the snapshot
   * accepted (a wrong key gets the snapshot's 401, and a write the refusal a read-only role gets:
   * neither reaches the project). It answers with `settle(response)`, or `settle(undefined, error)`
   * when the project could not be reached.
   */
  function route<T>(
    req: SandboxRequest,
    forward: (
      req: SandboxRequest,
      settle: (live: SandboxResponse | undefined, err?: unknown) => DataAnswer,
    ) => T,
    done: (answer: DataAnswer) => T,
  ): T {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    if (!isAllowed(req.url, [allowedPrefix])) {
      return done(settledAnswer(refuseRequest(req, [allowedPrefix])));
    }
    let local: SandboxResponse;
    try {
      local = snapshot(req);
    } catch (err) {
      return done(settledAnswer(failedAnswer(req, 'the data endpoint failed', err, elapsed())));
    }
    const liveKey = spec.liveKey;
    const read = req.method.toUpperCase() === 'GET' || req.method.toUpperCase() === 'HEAD';
    if (liveKey === undefined || local.status === 401 || !read) {
      const durationMs = elapsed();
      return done({ response: local, record: () => recordAnswer(req, local, durationMs) });
    }
    return forward(withLiveKey(req, spec.apiKey, liveKey), (response, err) => {
      const durationMs = elapsed();
      if (!response) {
        // The error may quote the URL it was sent to, which now carries the project's key.
        const message = swapAll(err instanceof Error ? err.message : String(err), liveKey, '…');
        return settledAnswer(
          failedAnswer(req, 'the live project did not answer', message, durationMs),
        );
      }
      return {
        response,
        record: () => ({
          ...recordAnswer(req, response, durationMs),
          drift: describeDrift(local, response),
        }),
      };
    });
  }

  return {
    allowedPrefix,
    allowedPrefixes: [allowedPrefix],
    spec,
    snapshot,
    answer: (req) =>
      route(
        req,
        async (liveReq, settle) => {
          if (!live?.fetch) return settle(undefined, new Error('no asynchronous transport here'));
          return live.fetch(liveReq).then(settle, (err: unknown) => settle(undefined, err));
        },
        (answer) => Promise.resolve(answer),
      ),
    answerSync: (req) =>
      route(
        req,
        (liveReq, settle) => {
          if (!live?.fetchSync)
            return settle(undefined, new Error('no synchronous transport here'));
          let response: SandboxResponse;
          try {
            response = live.fetchSync(liveReq);
          } catch (err) {
            return settle(undefined, err);
          }
          return settle(response);
        },
        (answer) => answer,
      ),
  };
}
