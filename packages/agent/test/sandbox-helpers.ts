// Shared by the sandbox-node*.test.ts files: a local HTTP server that counts what reaches it, and
// readers for cell results.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
