// Shared by the sandbox tests: a local HTTP server that counts what reaches it, a stand-in "live"
// Supabase project, a self-hosted package index, and readers for cell results.
import { AB_TEST_TABLE } from '@localds/benchmarks';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { EventRow } from '@localds/benchmarks';
import { createEmbeddedEndpoint } from '../src/data/index.js';
import type { PyodideLock } from '../src/sandbox/packages.js';
import type { CellResult, ErrorOutput } from '../src/sandbox/types.js';

export const SLOW = 180_000;

/** The one wheel in the probe index; importing `localds_probe` gives `ANSWER = 42`. */
export const PROBE_WHEEL = 'localds_probe-0.1-py3-none-any.whl';

/**
 * Writes a self-hosted package index into `dir` (which must exist): a small pure-Python wheel built
 * here, and Pyodide's own lock (same core) with the probe package added, as an index would publish it.
 */
export function writeProbeIndex(dir: string): void {
  const wheelPath = join(dir, PROBE_WHEEL);
  // Laid out with Python's zipfile, as any build backend would (the package's deps have no zip writer).
  execFileSync('python3', [
    '-c',
    `import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('localds_probe/__init__.py', 'ANSWER = 42\\n')
    z.writestr('localds_probe-0.1.dist-info/METADATA', 'Metadata-Version: 2.1\\nName: localds-probe\\nVersion: 0.1\\n')
    z.writestr('localds_probe-0.1.dist-info/WHEEL', 'Wheel-Version: 1.0\\nGenerator: localds-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')
    z.writestr('localds_probe-0.1.dist-info/RECORD', '')
`,
    wheelPath,
  ]);
  const lock = JSON.parse(
    readFileSync(createRequire(import.meta.url).resolve('pyodide/pyodide-lock.json'), 'utf8'),
  ) as PyodideLock;
  lock.packages['localds-probe'] = {
    name: 'localds-probe',
    version: '0.1',
    file_name: PROBE_WHEEL,
    install_dir: 'site',
    sha256: createHash('sha256').update(readFileSync(wheelPath)).digest('hex'),
    package_type: 'package',
    imports: ['localds_probe'],
    depends: [],
    unvendored_tests: false,
  };
  writeFileSync(join(dir, 'pyodide-lock.json'), JSON.stringify(lock));
}

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
  const { handle } = createEmbeddedEndpoint({ rows, table: AB_TEST_TABLE, apiKey: key });
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
