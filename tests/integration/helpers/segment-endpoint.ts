import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createEmbeddedEndpoint } from '@localds/agent/data';
import { SEGMENT_TABLE } from '@localds/benchmarks';

const run = promisify(execFile);

export interface ServedTable {
  url: string;
  apiKey: string;
  close(): Promise<void>;
}

/**
 * Serves rows over HTTP on 127.0.0.1 through the embedded endpoint (PostgREST's read path and its
 * 1000-row cap, the conformance-tested subset), so a reference solution can page through them the way
 * it pages through a local Supabase stack, without starting one.
 */
export async function serveRows(rows: readonly Record<string, unknown>[]): Promise<ServedTable> {
  const apiKey = 'reference-test-anon-key';
  const endpoint = createEmbeddedEndpoint({ rows, apiKey, table: SEGMENT_TABLE });
  const server: Server = createServer((req, res) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const answer = endpoint.handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers });
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/rest/v1/posthog_events?select=*`,
    apiKey,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Writes supabase.json for the served table and runs a reference script with Debian's python3 in `work`. */
export async function runReferenceScript(
  script: string,
  work: string,
  table: ServedTable,
): Promise<{ stdout: string; stderr: string; seconds: number }> {
  await writeFile(
    join(work, 'supabase.json'),
    JSON.stringify({
      url: table.url,
      headers: { apikey: table.apiKey, Authorization: `Bearer ${table.apiKey}` },
    }),
  );
  const started = Date.now();
  const { stdout, stderr } = await run('/usr/bin/python3', [script], {
    cwd: work,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, MPLBACKEND: 'Agg' },
  });
  return { stdout, stderr, seconds: (Date.now() - started) / 1000 };
}
