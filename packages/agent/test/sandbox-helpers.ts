// Shared by the sandbox tests: a local HTTP server that counts what reaches it, a stand-in "live"
// Supabase project, and readers for cell results.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventRow } from '@localds/benchmarks';
import { createEmbeddedEndpoint } from '../src/data/index.js';
import type { CellResult, ErrorOutput } from '../src/sandbox/types.js';

export const SLOW = 180_000;

export interface CountingServer {
  url: string;
  hits: () => number;
  close: () => Promise<void>;
}

/** A real server on the host's loopback: every connection counts, so a test can prove none arrived. */
export async function countingServer(): Promise<CountingServer> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    res.end('reached the host');
  });
  server.on('connection', () => {
    hits += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface LiveProject {
  origin: string;
  /** the `apikey` header of every request that reached the project, in order */
  keysSeen: () => string[];
  close: () => Promise<void>;
}

/**
 * A project on the loopback that answers `/rest/v1/` like Supabase (the embedded endpoint, which the
 * conformance suite holds to PostgREST) with CORS for the page, under its own key.
 */
export async function liveProject(rows: readonly EventRow[], key: string): Promise<LiveProject> {
  const { handle } = createEmbeddedEndpoint({ rows, table: 'posthog_events', apiKey: key });
  const keys: string[] = [];
  const cors = {
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'apikey, authorization, prefer, range, content-type',
    'access-control-expose-headers': 'content-range',
  };
  const server: Server = createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    keys.push(String(req.headers.apikey ?? ''));
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    );
    const answer = handle({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers,
    });
    res.writeHead(answer.status, { ...answer.headers, ...cors }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    keysSeen: () => [...keys],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function streamText(result: CellResult, name: 'stdout' | 'stderr' = 'stdout'): string {
  return result.outputs
    .map((o) => (o.output_type === 'stream' && o.name === name ? o.text : ''))
    .join('');
}

export function resultText(result: CellResult): string | undefined {
  const out = result.outputs.find((o) => o.output_type === 'execute_result');
  return out?.output_type === 'execute_result' ? out.data['text/plain'] : undefined;
}

export function errors(result: CellResult): ErrorOutput[] {
  return result.outputs.filter((o): o is ErrorOutput => o.output_type === 'error');
}

/** Everything the cell showed, for "this secret never appears" assertions. */
export function allText(result: CellResult): string {
  return JSON.stringify(result.outputs);
}
