// Whose failure a failed model call is, end to end: the OpenAI adapter against the local SSE
// server, driven by the loop. A server that never answered ends the run as an environment error
// (never the model's score); one that answered badly, slowly or brokenly stays model_error.
import { afterEach, describe, expect, it } from 'vitest';
import { runAgent } from '../src/loop/run-agent.js';
import type { AgentEvent, AgentRunResult } from '../src/loop/types.js';
import { createOpenAIModel, type OpenAIModelOptions } from '../src/model/openai.js';
import { budgets, FakeSandbox, fence, toyBenchmark as benchmark } from './helpers/fakes.js';
import {
  deltaChunk,
  freePort,
  llamaPayloads,
  sendJson,
  startSse,
  startSseServer,
  writeEvents,
  type Script,
  type SseServer,
} from './helpers/sse-server.js';

let server: SseServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runAgainst(
  baseUrl: string,
  options: Partial<OpenAIModelOptions> = {},
): Promise<{ result: AgentRunResult; events: AgentEvent[]; sandbox: FakeSandbox }> {
  const model = createOpenAIModel({ baseUrl, model: 'qwen3-8b', retryDelayMs: 5, ...options });
  const sandbox = new FakeSandbox();
  const events: AgentEvent[] = [];
  const result = await runAgent({
    model,
    sandbox,
    benchmark,
    sampling: {},
    budgets,
    onEvent: (e) => events.push(e),
  });
  return { result, events, sandbox };
}

async function serve(script: Script): Promise<SseServer> {
  server = await startSseServer(script);
  return server;
}

const errorEvents = (events: AgentEvent[]) => events.filter((e) => e.type === 'error');

describe('runAgent against a model server that never answered: environment_error', () => {
  it('a refused connection', async () => {
    const baseUrl = `http://127.0.0.1:${await freePort()}/v1`;
    const { result, events } = await runAgainst(baseUrl);
    expect(result.endReason).toBe('environment_error');
    expect(result.endDetail).toMatch(/^the model server never answered, so this is not the model/);
    expect(result.endDetail).toContain(`could not connect to ${baseUrl}/models`);
    expect(result.endDetail).toContain('ECONNREFUSED');
    expect(errorEvents(events)).toEqual([
      { type: 'error', source: 'model', message: result.endDetail },
    ]);
    expect(result.cells).toEqual([]);
  });

  it('a server that closes the connection before the first byte of its answer', async () => {
    const s = await serve((_req, res) => {
      res.socket?.destroy();
    });
    const { result } = await runAgainst(s.baseUrl, { retries: 1 });
    expect(result.endReason).toBe('environment_error');
    expect(result.endDetail).toContain(`${s.baseUrl}/chat/completions`);
    expect(result.endDetail).toContain('2 attempts');
    expect(s.chatRequests()).toHaveLength(2);
  });

  it('a server that sends its headers and dies before any token', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      res.flushHeaders();
      await new Promise((r) => setTimeout(r, 30));
      res.socket?.destroy();
    });
    const { result } = await runAgainst(s.baseUrl);
    expect(result.endReason).toBe('environment_error');
    expect(result.endDetail).toContain('broke before the answer was complete');
    expect(result.transcript.at(-1)).toMatchObject({ kind: 'assistant', content: '' });
  });

  it('a server that answered a turn and then went away', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, llamaPayloads({ content: [fence('print("one")')] }));
      res.end();
      await s.close(); // nothing listens any more when the next turn asks
    });
    const { result, sandbox } = await runAgainst(s.baseUrl, { retries: 0 });
    expect(sandbox.ran.map((r) => r.code)).toEqual(['print("one")']);
    expect(result.endReason).toBe('environment_error');
    expect(result.endDetail).toContain(`could not connect to ${s.baseUrl}/chat/completions`);
    // The pooled connection is found closed, or a new one is refused: either way, nobody answered.
    expect(result.endDetail).toMatch(/the server went away|ECONNREFUSED/);
    expect(result.totals.turns).toBe(2);
  });

  it('a server that refuses the configured key (HTTP 401): the run never reached the model', async () => {
    const s = await serve((_req, res) =>
      sendJson(res, 401, { error: { code: 401, message: 'Invalid API Key', type: 'auth' } }),
    );
    const { result } = await runAgainst(s.baseUrl, { apiKey: 'sk-wrong-1234' });
    expect(result.endReason).toBe('environment_error');
    expect(result.endDetail).toContain('HTTP 401');
    expect(result.endDetail).not.toContain('sk-wrong-1234');
  });
});

describe('runAgent against a model server that answered badly: model_error, the model’s', () => {
  it('an HTTP 500', async () => {
    const s = await serve((_req, res) =>
      sendJson(res, 500, { error: { code: 500, message: 'failed to decode', type: 'server' } }),
    );
    const { result, events } = await runAgainst(s.baseUrl);
    expect(result.endReason).toBe('model_error');
    expect(result.endDetail).toContain('HTTP 500');
    expect(result.endDetail).toContain('failed to decode');
    expect(errorEvents(events)).toEqual([
      { type: 'error', source: 'model', message: result.endDetail },
    ]);
  });

  it('a stream dropped after it began answering, keeping the partial turn and running none of it', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, [deltaChunk({ content: '```python\nprint("half' })]);
      await new Promise((r) => setTimeout(r, 30));
      res.socket?.destroy();
    });
    const { result, sandbox } = await runAgainst(s.baseUrl);
    expect(result.endReason).toBe('model_error');
    expect(result.endDetail).toContain('broke before the answer was complete');
    expect(result.transcript.at(-1)).toMatchObject({
      kind: 'assistant',
      content: '```python\nprint("half',
      finishReason: 'error',
    });
    expect(sandbox.ran).toEqual([]);
  });

  it('a server that accepted the request and stayed silent past the read timeout', async () => {
    const s = await serve(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 1000));
      startSse(res);
      res.end();
    });
    const { result } = await runAgainst(s.baseUrl, { readTimeoutMs: 100 });
    expect(result.endReason).toBe('model_error');
    expect(result.endDetail).toContain('no response within 100 ms (read timeout)');
  });
});
