// `localds run --read-timeout`: how long the model server may stay silent (e.g. while it reads a
// long prompt) before the run gives up on it. Against the agent's local SSE test server, whose
// chat answers arrive only after a pause.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunJsonSchema } from '@localds/scorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answersAfter,
  startSseServer,
  type SseServer,
} from '../../packages/agent/test/helpers/sse-server.js';
import { localds } from './helpers/stack.js';

const PAUSE_MS = 2500;

let out: string;
let server: SseServer;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'localds-read-timeout-'));
  server = await startSseServer(answersAfter(PAUSE_MS, ['DONE']));
});
afterAll(async () => {
  await server?.close();
  await rm(out, { recursive: true, force: true });
});

async function runWith(readTimeout: string) {
  const cli = await localds([
    'run',
    '--model',
    `openai:${server.baseUrl}#qwen3-8b`,
    '--read-timeout',
    readTimeout,
    // The scripted answer is fenced ('DONE'); auto would first probe the server for tools.
    '--protocol',
    'fenced',
    // Pyodide's packages come from a CDN this machine cannot reach: the standard library only.
    '--stdlib-only',
    '--out',
    out,
  ]);
  const dir = /-> (\S+)$/m.exec(cli.stdout)?.[1];
  if (!dir) throw new Error(`no run folder in the output:\n${cli.stdout}\n${cli.stderr}`);
  const runJson = RunJsonSchema.parse(JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')));
  return { cli, runJson };
}

describe('localds run --read-timeout', () => {
  it('gives up on a server silent for longer than the read timeout, saying so', async () => {
    const { runJson } = await runWith('1');
    expect(runJson.end_reason).toBe('model_error');
    expect(runJson.end_detail).toContain('no response within 1000 ms (read timeout)');
  }, 120_000);

  it('waits for a server that is silent for less than the read timeout', async () => {
    const { cli, runJson } = await runWith('10');
    expect(runJson.end_reason, cli.stderr).toBe('done');
    expect(runJson.transcript.at(-1)).toMatchObject({ role: 'assistant', content: 'DONE' });
  }, 120_000);

  it('refuses a read timeout that is not a positive number of seconds', async () => {
    const cli = await localds([
      'run',
      '--model',
      'openai:http://127.0.0.1:9/v1#m',
      '--read-timeout',
      '0',
    ]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/--read-timeout.*must be a number from 1/);
  });
});
