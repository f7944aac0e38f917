import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../src/model/errors.js';
import { createOpenAIModel, listModels, type OpenAIModelOptions } from '../src/model/openai.js';
import type { ChatRequest, ChatStreamEvent } from '../src/model/types.js';
import {
  deltaChunk,
  freePort,
  llamaPayloads,
  sendJson,
  startSse,
  startSseServer,
  usageChunk,
  writeEvents,
  type Script,
  type SseServer,
} from './helpers/sse-server.js';

let server: SseServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(script: Script, options?: { scriptModels?: boolean }): Promise<SseServer> {
  server = await startSseServer(script, options);
  return server;
}

const request: ChatRequest = {
  messages: [
    { role: 'system', content: 'You are a data scientist.' },
    { role: 'user', content: 'Analyse the A/B test.' },
  ],
  sampling: { temperature: 0.2, top_p: 0.9, seed: 7, max_tokens: 512 },
};

async function collect(
  options: Partial<OpenAIModelOptions> & { baseUrl: string },
  req: ChatRequest = request,
): Promise<ChatStreamEvent[]> {
  const model = createOpenAIModel({ model: 'qwen3-8b', retryDelayMs: 5, ...options });
  const events: ChatStreamEvent[] = [];
  for await (const e of model.stream(req)) events.push(e);
  return events;
}

function text(events: ChatStreamEvent[], channel: 'answer' | 'reasoning'): string {
  return events.map((e) => (e.type === 'token' && e.channel === channel ? e.text : '')).join('');
}

function done(events: ChatStreamEvent[]) {
  const last = events[events.length - 1];
  if (last?.type !== 'done') throw new Error('stream did not end with done');
  expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
  return last;
}

describe('createOpenAIModel against a llama-server-like SSE server', () => {
  it('posts the request as llama-server expects and maps reasoning_content, content and usage', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(
        res,
        llamaPayloads({
          reasoning: ['The user', ' wants a test.'],
          content: ['Here', ' is ```python\n', 'print(1)\n```'],
          usage: [75, 31],
        }),
      );
      res.end();
    });
    const events = await collect({ baseUrl: s.baseUrl, apiKey: 'sk-local-123' });

    expect(text(events, 'reasoning')).toBe('The user wants a test.');
    expect(text(events, 'answer')).toBe('Here is ```python\nprint(1)\n```');
    expect(done(events)).toEqual({
      type: 'done',
      finishReason: 'stop',
      usage: { promptTokens: 75, completionTokens: 31 },
    });

    expect(s.chatRequests()).toHaveLength(1);
    const sent = s.chatRequests()[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-local-123');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent.body)).toEqual({
      model: 'qwen3-8b',
      messages: request.messages,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      top_p: 0.9,
      seed: 7,
      max_tokens: 512,
    });
  });

  it('leaves unset sampling settings out of the body and sends no Authorization without a key', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, llamaPayloads({ content: ['ok'] }));
      res.end();
    });
    await collect({ baseUrl: s.baseUrl }, { ...request, sampling: { temperature: 0 } });
    const body = JSON.parse(s.chatRequests()[0]!.body) as Record<string, unknown>;
    expect(body.temperature).toBe(0);
    expect(Object.keys(body)).not.toContain('top_p');
    expect(Object.keys(body)).not.toContain('seed');
    expect(Object.keys(body)).not.toContain('max_tokens');
    expect(s.chatRequests()[0]!.headers.authorization).toBeUndefined();
  });

  it('splits inline <think> in content, tags cut across chunks', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, llamaPayloads({ content: ['<thi', 'nk>plan</th', 'ink>\n\nDONE'] }));
      res.end();
    });
    const events = await collect({ baseUrl: s.baseUrl });
    expect(text(events, 'reasoning')).toBe('plan');
    expect(text(events, 'answer')).toBe('\n\nDONE');
  });

  it('maps delta.reasoning (the other servers’ field name) and finish_reason length', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, [
        deltaChunk({ reasoning: 'hmm' }),
        deltaChunk({ content: 'cut sho' }),
        deltaChunk({}, 'length'),
        '[DONE]',
      ]);
      res.end();
    });
    const events = await collect({ baseUrl: s.baseUrl });
    expect(text(events, 'reasoning')).toBe('hmm');
    expect(text(events, 'answer')).toBe('cut sho');
    expect(done(events)).toEqual({ type: 'done', finishReason: 'length', usage: undefined });
  });

  it('accepts a stream that ends after finish_reason without [DONE]', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, [deltaChunk({ content: 'all' }), deltaChunk({}, 'stop')]);
      res.end();
    });
    const events = await collect({ baseUrl: s.baseUrl });
    expect(done(events).finishReason).toBe('stop');
    expect(text(events, 'answer')).toBe('all');
  });

  it('reports a stream dropped midway and keeps the text received so far', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, [deltaChunk({ content: 'First ' }), deltaChunk({ content: 'part' })]);
      await new Promise((r) => setTimeout(r, 50));
      res.socket?.destroy();
    });
    const events = await collect({ baseUrl: s.baseUrl });
    expect(text(events, 'answer')).toBe('First part');
    const end = done(events);
    expect(end.finishReason).toBe('error');
    expect(end.error).toBeInstanceOf(ModelError);
    expect(end.error?.code).toBe('dropped');
    expect(end.error?.partialText).toBe('First part');
    expect(end.error?.message).toContain(`${s.baseUrl}/chat/completions`);
    expect(end.error?.message).toContain('10 characters of answer had arrived');
  });

  it('reports a body that ends cleanly but before any finish_reason as dropped', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, [deltaChunk({ content: 'half' })]);
      res.end();
    });
    const end = done(await collect({ baseUrl: s.baseUrl }));
    expect(end.error?.code).toBe('dropped');
    expect(end.error?.message).toContain('no finish_reason and no [DONE]');
  });

  it('reports a data line that is not JSON as malformed, naming what was sent', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, [deltaChunk({ content: 'ok ' }), '{"choices": [ broken']);
      res.end();
    });
    const events = await collect({ baseUrl: s.baseUrl });
    const end = done(events);
    expect(end.error?.code).toBe('malformed');
    expect(end.error?.message).toContain('not JSON');
    expect(end.error?.message).toContain('{"choices": [ broken');
    expect(text(events, 'answer')).toBe('ok ');
  });

  it('reports a chunk of the wrong shape as malformed, with the offending path', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, [JSON.stringify({ choices: [{ delta: { content: 42 } }] })]);
      res.end();
    });
    const end = done(await collect({ baseUrl: s.baseUrl }));
    expect(end.error?.code).toBe('malformed');
    expect(end.error?.message).toContain('choices.0.delta.content');
  });

  it('reports an error event inside the stream with the server’s message', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, [
        JSON.stringify({
          error: { code: 500, message: 'the request exceeds the context', type: 'server_error' },
        }),
      ]);
      res.end();
    });
    const end = done(await collect({ baseUrl: s.baseUrl }));
    expect(end.error?.code).toBe('server');
    expect(end.error?.message).toContain('the request exceeds the context');
  });

  it('reports HTTP 500 with the message from the JSON body, without retrying', async () => {
    const s = await serve((_req, res) =>
      sendJson(res, 500, {
        error: { code: 500, message: 'failed to load model', type: 'server_error' },
      }),
    );
    const end = done(await collect({ baseUrl: s.baseUrl, retries: 3 }));
    expect(end.error?.code).toBe('http');
    expect(end.error?.status).toBe(500);
    expect(end.error?.message).toContain('HTTP 500');
    expect(end.error?.message).toContain('failed to load model');
    expect(s.chatRequests()).toHaveLength(1);
  });

  it('reports 401 clearly and never shows the key, even when the server echoes it', async () => {
    const key = 'sk-very-secret-4242';
    const s = await serve((req, res) =>
      sendJson(res, 401, {
        error: {
          code: 401,
          message: `Invalid API Key: ${req.headers.authorization}`,
          type: 'authentication_error',
        },
      }),
    );
    const events = await collect({ baseUrl: s.baseUrl, apiKey: key });
    const end = done(events);
    expect(end.error?.code).toBe('http');
    expect(end.error?.status).toBe(401);
    expect(end.error?.message).toContain('Invalid API Key');
    expect(end.error?.message).toContain('refused the API key');
    expect(JSON.stringify(events)).not.toContain(key);
    expect(end.error?.message).not.toContain(key);
  });

  it('hints at /v1 on a 404 with an Ollama-style string error', async () => {
    const s = await serve((_req, res) => sendJson(res, 404, { error: 'model "x" not found' }));
    const end = done(await collect({ baseUrl: s.baseUrl }));
    expect(end.error?.message).toContain('model "x" not found');
    expect(end.error?.message).toContain('includes /v1');
  });

  it('ends with read-timeout when the server goes silent, keeping what came', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, [deltaChunk({ content: 'slow' })]);
      await new Promise((r) => setTimeout(r, 2000));
      res.end();
    });
    const events = await collect({ baseUrl: s.baseUrl, readTimeoutMs: 150 });
    const end = done(events);
    expect(end.error?.code).toBe('read-timeout');
    expect(end.error?.message).toContain('150 ms');
    expect(end.error?.partialText).toBe('slow');
    await s.clientClosed();
  });

  it('keeps waiting while chunks keep coming, however long the whole answer takes', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, llamaPayloads({ content: ['a', 'b', 'c', 'd', 'e', 'f'] }), 60);
      res.end();
    });
    // Eight events 60 ms apart take ~480 ms in all, far beyond the 200 ms read timeout.
    const events = await collect({ baseUrl: s.baseUrl, readTimeoutMs: 200 });
    expect(done(events).finishReason).toBe('stop');
    expect(text(events, 'answer')).toBe('abcdef');
  });

  it('retries a refused connection with backoff, then names the URL and the attempts', async () => {
    const port = await freePort();
    let calls = 0;
    const countingFetch = (url: string, init: RequestInit) => {
      calls++;
      return fetch(url, init);
    };
    const baseUrl = `http://127.0.0.1:${port}/v1`;
    const end = done(await collect({ baseUrl, retries: 2, fetch: countingFetch }));
    expect(calls).toBe(3);
    expect(end.error?.code).toBe('unreachable');
    expect(end.error?.attempts).toBe(3);
    expect(end.error?.message).toContain(`could not connect to ${baseUrl}/models`);
    expect(end.error?.message).toContain('ECONNREFUSED');
    expect(end.error?.message).toContain('3 attempts');
  });

  it('treats a server that accepts but never answers as unreachable after the connect timeout', async () => {
    const s = await serve(() => new Promise(() => undefined), { scriptModels: true });
    const end = done(await collect({ baseUrl: s.baseUrl, connectTimeoutMs: 100, retries: 1 }));
    expect(end.error?.code).toBe('unreachable');
    expect(end.error?.message).toContain(`${s.baseUrl}/models within 100 ms`);
    expect(s.requests.map((r) => r.path)).toEqual(['/v1/models', '/v1/models']);
    expect(s.chatRequests()).toHaveLength(0);
  });

  it('waits for a chat response’s headers up to the read timeout, not the connect timeout, and does not retry', async () => {
    // Like llama-server before mid-2026: headers only once the prompt has been read.
    const s = await serve(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 300));
      startSse(res);
      await writeEvents(res, llamaPayloads({ content: ['late but fine'] }));
      res.end();
    });
    const ok = await collect({ baseUrl: s.baseUrl, connectTimeoutMs: 50, readTimeoutMs: 2000 });
    expect(text(ok, 'answer')).toBe('late but fine');

    const slow = await collect({
      baseUrl: s.baseUrl,
      connectTimeoutMs: 50,
      readTimeoutMs: 100,
      retries: 3,
    });
    const end = done(slow);
    expect(end.error?.code).toBe('read-timeout');
    expect(end.error?.message).toContain('no response within 100 ms');
    expect(s.chatRequests()).toHaveLength(2); // one per stream: the slow one was not retried
  });

  it('checks reachability with GET /models once, then again only after a connection failure', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, llamaPayloads({ content: ['x'] }));
      res.end();
    });
    const model = createOpenAIModel({ baseUrl: s.baseUrl, model: 'm', apiKey: 'k' });
    for (let i = 0; i < 3; i++) for await (const _e of model.stream(request));
    expect(s.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/models',
      'POST /v1/chat/completions',
      'POST /v1/chat/completions',
      'POST /v1/chat/completions',
    ]);
    expect(s.requests[0]!.headers.authorization).toBe('Bearer k');
  });

  it('retries a connection reset before any response, and then succeeds', async () => {
    const s = await serve(async (_req, res) => {
      if (s.chatRequests().length === 1) {
        res.socket?.destroy();
        return;
      }
      startSse(res);
      await writeEvents(res, llamaPayloads({ content: ['second time'] }));
      res.end();
    });
    const events = await collect({ baseUrl: s.baseUrl, retries: 1 });
    expect(done(events).finishReason).toBe('stop');
    expect(text(events, 'answer')).toBe('second time');
    expect(s.chatRequests()).toHaveLength(2);
  });

  it('never retries once the response has started', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      res.flushHeaders(); // the status line is out: the response has started
      await new Promise((r) => setTimeout(r, 50));
      res.socket?.destroy();
    });
    const end = done(await collect({ baseUrl: s.baseUrl, retries: 3 }));
    expect(end.error?.code).toBe('dropped');
    expect(s.chatRequests()).toHaveLength(1);
  });

  it('ends with finishReason abort when the caller aborts mid-stream, and closes the connection', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, [deltaChunk({ content: 'one ' })]);
      await new Promise((r) => setTimeout(r, 5000));
      res.end();
    });
    const controller = new AbortController();
    const model = createOpenAIModel({ baseUrl: s.baseUrl, model: 'm' });
    const events: ChatStreamEvent[] = [];
    for await (const e of model.stream({ ...request, signal: controller.signal })) {
      events.push(e);
      if (e.type === 'token') controller.abort();
    }
    expect(text(events, 'answer')).toBe('one ');
    expect(done(events)).toEqual({ type: 'done', finishReason: 'abort' });
    await s.clientClosed();
  });

  it('closes the connection when the consumer stops reading early', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, [deltaChunk({ content: 'first ' })]);
      await new Promise((r) => setTimeout(r, 5000));
      res.end();
    });
    const model = createOpenAIModel({ baseUrl: s.baseUrl, model: 'm' });
    for await (const e of model.stream(request)) if (e.type === 'token') break;
    await s.clientClosed();
  });

  it('does not send anything when the signal is already aborted', async () => {
    const s = await serve((_req, res) => sendJson(res, 200, {}));
    const events = await collect(
      { baseUrl: s.baseUrl },
      { ...request, signal: AbortSignal.abort() },
    );
    expect(events).toEqual([{ type: 'done', finishReason: 'abort' }]);
    expect(s.requests).toHaveLength(0);
  });

  it('classifies a bare TypeError on a cross-origin URL in a page as CORS, with how to allow it', async () => {
    const browserFetch = () => Promise.reject(new TypeError('Failed to fetch'));
    const end = done(
      await collect({
        baseUrl: 'http://127.0.0.1:11434/v1',
        fetch: browserFetch,
        pageOrigin: 'http://localhost:5173',
        retries: 0,
      }),
    );
    expect(end.error?.code).toBe('cors');
    expect(end.error?.message).toContain('http://127.0.0.1:11434/v1/models');
    expect(end.error?.message).toContain('OLLAMA_ORIGINS=http://localhost:5173');
    expect(end.error?.message).toContain('Enable CORS');
    expect(end.error?.message).toContain('--cors-origins');
  });

  it('has a secret-free id and rejects unusable configuration', () => {
    const model = createOpenAIModel({
      baseUrl: 'http://127.0.0.1:8080/v1/',
      model: 'qwen3-8b',
      apiKey: 'sk-abc',
    });
    expect(model.id).toBe('openai:http://127.0.0.1:8080/v1#qwen3-8b');
    expect(model.kind).toBe('openai');
    expect(model.scripted).toBe(false);
    expect(() => createOpenAIModel({ baseUrl: 'localhost:8080', model: 'm' })).toThrow(
      /must start with http/,
    );
    expect(() => createOpenAIModel({ baseUrl: 'not a url', model: 'm' })).toThrow(/not a URL/);
    expect(() =>
      createOpenAIModel({ baseUrl: 'http://user:pw@127.0.0.1:8080/v1', model: 'm' }),
    ).toThrow(/must not contain credentials/);
  });
});

describe('listModels', () => {
  it('lists the ids from GET /models, sending the key as a Bearer token', async () => {
    const s = await serve(
      (_req, res) =>
        sendJson(res, 200, {
          object: 'list',
          data: [
            { id: 'qwen3-8b', object: 'model', owned_by: 'llamacpp', meta: { n_ctx_train: 40960 } },
            { id: 'llama-3.2-3b', object: 'model' },
          ],
        }),
      { scriptModels: true },
    );
    expect(await listModels({ baseUrl: s.baseUrl, apiKey: 'k1' })).toEqual([
      'qwen3-8b',
      'llama-3.2-3b',
    ]);
    expect(s.requests[0]!.method).toBe('GET');
    expect(s.requests[0]!.path).toBe('/v1/models');
    expect(s.requests[0]!.headers.authorization).toBe('Bearer k1');
  });

  it('rejects an answer that is not a model list', async () => {
    const s = await serve((_req, res) => sendJson(res, 200, { models: ['a'] }), {
      scriptModels: true,
    });
    await expect(listModels({ baseUrl: s.baseUrl })).rejects.toMatchObject({
      code: 'malformed',
      message: expect.stringContaining('data'),
    });
  });

  it('reports HTTP errors and unreachable servers as ModelErrors', async () => {
    const s = await serve((_req, res) => sendJson(res, 404, { detail: 'Not Found' }), {
      scriptModels: true,
    });
    await expect(listModels({ baseUrl: s.baseUrl })).rejects.toMatchObject({
      code: 'http',
      status: 404,
    });
    const port = await freePort();
    await expect(listModels({ baseUrl: `http://127.0.0.1:${port}/v1` })).rejects.toMatchObject({
      code: 'unreachable',
      attempts: 1,
    });
  });
});

describe('usage chunk shape', () => {
  it('reads usage from a chunk whose choices are empty', async () => {
    const s = await serve(async (_req, res) => {
      startSse(res);
      await writeEvents(res, [
        deltaChunk({ content: 'x' }),
        deltaChunk({}, 'stop'),
        usageChunk(1200, 3),
        '[DONE]',
      ]);
      res.end();
    });
    expect(done(await collect({ baseUrl: s.baseUrl })).usage).toEqual({
      promptTokens: 1200,
      completionTokens: 3,
    });
  });
});
