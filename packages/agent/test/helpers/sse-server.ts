// A local HTTP server on 127.0.0.1 that answers like llama.cpp's llama-server: chunk shapes as
// it sends them (role-only first delta with content null, reasoning_content deltas, a final
// chunk with finish_reason and an empty delta, then a usage chunk with empty choices and
// `timings`, then `data: [DONE]`). Each test scripts the response; requests are recorded.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Script = (
  req: RecordedRequest,
  res: http.ServerResponse,
  raw: http.IncomingMessage,
) => void | Promise<void>;

export interface SseServer {
  /** Base URL including /v1, as llama-server documents it. */
  baseUrl: string;
  /** Every request, /models included. */
  requests: RecordedRequest[];
  /** The POST /v1/chat/completions requests only (not a browser's preflight). */
  chatRequests(): RecordedRequest[];
  /** Resolves when the client has gone away from the latest request. */
  clientClosed(): Promise<void>;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Let the script answer GET /v1/models too; by default it lists one model, as llama-server. */
  scriptModels?: boolean;
}

export async function startSseServer(
  script: Script,
  options: ServerOptions = {},
): Promise<SseServer> {
  const requests: RecordedRequest[] = [];
  let closed: Promise<void> = Promise.resolve();
  const server = http.createServer(async (raw, res) => {
    const chunks: Buffer[] = [];
    for await (const c of raw) chunks.push(c as Buffer);
    const req: RecordedRequest = {
      method: raw.method ?? '',
      path: raw.url ?? '',
      headers: raw.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(req);
    closed = new Promise((resolve) => res.once('close', () => resolve()));
    if (req.method === 'OPTIONS') {
      // A page's JSON POST is preflighted; llama-server allows any origin by default.
      res.writeHead(204, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Headers': '*',
        'Access-Control-Allow-Methods': 'GET, POST',
      });
      res.end();
      return;
    }
    if (req.path === '/v1/models' && !options.scriptModels) {
      res.setHeader('Access-Control-Allow-Origin', '*'); // llama-server allows any origin by default
      sendJson(res, 200, {
        object: 'list',
        data: [{ id: 'qwen3-8b', object: 'model', created: 1758108431, owned_by: 'llamacpp' }],
      });
      return;
    }
    try {
      await script(req, res, raw);
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () =>
      requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions'),
    clientClosed: () => closed,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on which nothing listens (bound, then released). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const envelope = {
  created: 1758108431,
  id: 'chatcmpl-Ca3q6j8NlTmm9h34TBbwr3wjgO47kWpz',
  model: 'qwen3-8b',
  system_fingerprint: 'b6497-cd08fc3e',
  object: 'chat.completion.chunk',
};

export function deltaChunk(delta: Record<string, unknown>, finishReason: string | null = null) {
  return JSON.stringify({
    choices: [{ finish_reason: finishReason, index: 0, delta }],
    ...envelope,
  });
}

export function usageChunk(promptTokens: number, completionTokens: number): string {
  return JSON.stringify({
    choices: [],
    ...envelope,
    usage: {
      completion_tokens: completionTokens,
      prompt_tokens: promptTokens,
      total_tokens: promptTokens + completionTokens,
    },
    timings: { prompt_n: promptTokens, prompt_ms: 180.0, predicted_n: completionTokens },
  });
}

export interface LlamaStream {
  reasoning?: string[];
  content?: string[];
  finishReason?: string;
  usage?: [number, number];
}

/** The `data:` payloads llama-server sends for one streamed answer, in order. */
export function llamaPayloads(s: LlamaStream): string[] {
  return [
    deltaChunk({ role: 'assistant', content: null }),
    ...(s.reasoning ?? []).map((r) => deltaChunk({ reasoning_content: r })),
    ...(s.content ?? []).map((c) => deltaChunk({ content: c })),
    deltaChunk({}, s.finishReason ?? 'stop'),
    usageChunk(...(s.usage ?? [75, 31])),
    '[DONE]',
  ];
}

export function startSse(res: http.ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    'Access-Control-Allow-Origin': '*',
  });
}

/** Writes payloads as SSE `data:` events, optionally pausing between them. */
export async function writeEvents(
  res: http.ServerResponse,
  payloads: string[],
  delayMs = 0,
): Promise<void> {
  for (const p of payloads) {
    res.write(`data: ${p}\n\n`);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** A server that thinks for `pauseMs` before sending anything (headers included), then answers `content`. */
export function answersAfter(pauseMs: number, content: string[]): Script {
  return async (_req, res) => {
    await new Promise((r) => setTimeout(r, pauseMs));
    if (res.destroyed) return; // the client gave up waiting
    startSse(res);
    await writeEvents(res, llamaPayloads({ content }));
    res.end();
  };
}
