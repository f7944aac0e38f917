// ChatModel over an OpenAI-compatible server (llama.cpp's llama-server, Ollama, LM Studio, oMLX,
// vLLM): POST {baseUrl}/chat/completions with stream: true, read the SSE stream with
// eventsource-parser, and hand the chunks to the shared decoder (stream-events.ts). What stays
// here is the transport: timeouts, retries, the CORS-versus-dead-server diagnosis, key redaction.
// Failures end the stream with a 'done' event whose finishReason is 'error' and whose `error`
// says what happened; text already streamed stays valid.

import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { z } from 'zod';
import { ModelError } from './errors.js';
import {
  AbortedError,
  clip,
  connect,
  DEFAULT_CONNECT_TIMEOUT_MS,
  headers,
  httpError,
  normalizeBaseUrl,
  redactKey,
  serverMessage,
  type Connection,
  type ServerOptions,
} from './http.js';
import { chatCompletionBody, decodeChatStream, type ChatChunk } from './stream-events.js';
import type { ChatModel, ChatRequest, ChatStreamEvent } from './types.js';

export interface OpenAIModelOptions extends ServerOptions {
  model: string;
  /**
   * Longest silence allowed: from sending the request to the headers, and between two pieces of
   * the response. Local servers can be quiet for a long time while they read a long prompt.
   * Default 300 s.
   */
  readTimeoutMs?: number;
  /** The model's context window when the caller knows it (servers do not report it uniformly). */
  contextWindow?: number;
}

// Lenient on purpose: servers add fields of their own (llama.cpp `timings`), and send
// `content: null` in role-only deltas. Only what the adapter reads is checked.
const ChunkSchema = z.object({
  choices: z.array(
    z.object({
      delta: z
        .object({
          content: z.string().nullish(),
          reasoning_content: z.string().nullish(),
          reasoning: z.string().nullish(),
          tool_calls: z
            .array(
              z.object({
                index: z.number().int().nullish(),
                id: z.string().nullish(),
                type: z.string().nullish(),
                function: z
                  .object({ name: z.string().nullish(), arguments: z.unknown().optional() })
                  .nullish(),
              }),
            )
            .nullish(),
        })
        .nullish(),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

export const DEFAULT_READ_TIMEOUT_MS = 300_000;

const ModelsSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

export function createOpenAIModel(options: OpenAIModelOptions): ChatModel {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  if (!options.model) throw new ModelError('invalid-config', 'no model name given');
  const server: Server = { ...options, baseUrl, reachable: false };
  return {
    kind: 'openai',
    id: `openai:${baseUrl}#${options.model}`,
    scripted: false,
    contextWindow: options.contextWindow,
    stream: (request) => streamChat(server, request),
    probeTools: (signal) => probeTools(server, signal),
  };
}

/**
 * Offers the server `tools` in one tiny request (one token) and reads its answer: a server that
 * refuses them (an HTTP error that names tools: llama.cpp without `--jinja`, a vLLM without
 * `--enable-auto-tool-choice`) gets the fenced protocol; any other failure says nothing about
 * tools, and fenced is the safe choice, with the error as the reason.
 */
async function probeTools(
  server: Server,
  signal: AbortSignal | undefined,
): Promise<{ accepted: boolean; reason: string }> {
  const request: ChatRequest = {
    messages: [{ role: 'user', content: 'Reply with OK.' }],
    sampling: { max_tokens: 1, temperature: 0 },
    tools: [PROBE_TOOL],
    signal,
  };
  for await (const event of streamChat(server, request)) {
    if (event.type !== 'done') continue;
    const error = event.error;
    if (!error) return { accepted: true, reason: 'the server accepted a request offering tools' };
    if (error.code === 'http' && /tool/i.test(error.message)) {
      return { accepted: false, reason: `the server refused tools: ${clip(error.message, 300)}` };
    }
    return {
      accepted: false,
      reason: `could not tell whether the server takes tools (${clip(error.message, 300)})`,
    };
  }
  return { accepted: false, reason: 'the server ended the probe without an answer' };
}

/** A harmless function for the probe; the run itself offers run_python. */
const PROBE_TOOL = {
  type: 'function' as const,
  function: {
    name: 'run_python',
    description: 'Run Python code.',
    parameters: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] },
  },
};

/** Lists the model ids the server offers (GET {baseUrl}/models). */
export async function listModels(options: ServerOptions): Promise<string[]> {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const url = `${baseUrl}/models`;
  const ms = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const connection = await connect(
    url,
    { method: 'GET', headers: headers(options.apiKey, 'application/json') },
    { retries: 0, ...options },
    undefined,
    { ms, kind: 'connect' },
  );
  const timer = setTimeout(() => connection.cut('read-timeout'), ms);
  try {
    const { response } = connection;
    if (!response.ok) throw await httpError(url, response, options.apiKey);
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw new ModelError('read-timeout', `${url} did not finish its answer within ${ms} ms`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ModelError('malformed', `${url} did not answer with JSON: ${clip(text, 200)}`);
    }
    const parsed = ModelsSchema.safeParse(json);
    if (!parsed.success) {
      throw new ModelError(
        'malformed',
        `${url} did not answer with a model list ({"data": [{"id": …}]}): ${issues(parsed.error)}`,
      );
    }
    return parsed.data.data.map((m) => m.id);
  } finally {
    clearTimeout(timer);
    connection.close();
  }
}

/** Options plus whether the server has answered yet (checked again after a connection failure). */
type Server = OpenAIModelOptions & { baseUrl: string; reachable: boolean };

/**
 * Checks that the server answers at all, within the connect timeout: any HTTP status will do.
 * The chat request itself may legitimately wait a long time for its headers (see HeadersWait).
 */
async function checkReachable(server: Server, signal: AbortSignal | undefined): Promise<void> {
  const connection = await connect(
    `${server.baseUrl}/models`,
    { method: 'GET', headers: headers(server.apiKey, 'application/json') },
    server,
    signal,
    { ms: server.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, kind: 'connect' },
  );
  connection.close();
  await connection.response.body?.cancel().catch(() => undefined);
}

function streamChat(server: Server, request: ChatRequest): AsyncIterable<ChatStreamEvent> {
  const url = `${server.baseUrl}/chat/completions`;
  return decodeChatStream(sseChunks(server, request, url), {
    signal: request.signal,
    failure: (error, answerSoFar) => {
      if (error instanceof AbortedError) return null;
      const failure =
        error instanceof ModelError
          ? error
          : new ModelError('dropped', `reading ${url} failed: ${String(error)}`);
      // Ask GET /models again before the next request: the server may have gone away.
      if (failure.code === 'unreachable' || failure.code === 'cors') server.reachable = false;
      return withPartial(failure, answerSoFar, server.apiKey);
    },
  });
}

/**
 * The chat request's chunks, read from its SSE stream: checks reachability first (once, and again
 * after a connection failure), then POSTs. Throws ModelError or AbortedError.
 */
async function* sseChunks(
  server: Server,
  request: ChatRequest,
  url: string,
): AsyncGenerator<ChatChunk> {
  const body = JSON.stringify({ model: server.model, ...chatCompletionBody(request) });
  let connection: Connection | undefined;
  try {
    if (!server.reachable) {
      await checkReachable(server, request.signal);
      server.reachable = true;
    }
    connection = await connect(
      url,
      { method: 'POST', headers: headers(server.apiKey, 'text/event-stream'), body },
      server,
      request.signal,
      { ms: server.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS, kind: 'read' },
    );
    const { response } = connection;
    if (!response.ok)
      throw await withReadTimeout(connection, server, () =>
        httpError(url, response, server.apiKey),
      );
    if (!response.body) throw new ModelError('malformed', `${url} answered with an empty body`);
    yield* readStream(response.body, connection, server, url);
  } finally {
    connection?.close();
  }
}

/**
 * Reads SSE events until `[DONE]` (or the end of the body after a finish_reason), resetting the
 * read timeout on every piece of bytes. Throws ModelError or AbortedError.
 */
async function* readStream(
  body: ReadableStream<Uint8Array>,
  connection: Connection,
  server: Server,
  url: string,
): AsyncGenerator<ChatChunk> {
  const readTimeoutMs = server.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  let finished = false;
  try {
    for (;;) {
      const timer = setTimeout(() => connection.cut('read-timeout'), readTimeoutMs);
      let read: Awaited<ReturnType<typeof reader.read>>;
      try {
        read = await reader.read();
      } catch (error) {
        if (finished) return; // the answer was complete; only the trailer was lost
        throw readFailure(error, connection, url, readTimeoutMs);
      } finally {
        clearTimeout(timer);
      }
      if (read.done) {
        parser.feed(decoder.decode());
        parser.reset({ consume: true });
      } else {
        parser.feed(decoder.decode(read.value, { stream: true }));
      }
      for (const event of events.splice(0)) {
        if (event.data === '[DONE]') return;
        const chunk = parseChunk(event, url, server.apiKey);
        if (chunk.choices.some((c) => c.finish_reason)) finished = true;
        yield chunk;
      }
      if (read.done) break;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  if (finished) return;
  throw new ModelError(
    'dropped',
    `the connection to ${url} closed before the answer was complete (no finish_reason and no [DONE])`,
  );
}

function parseChunk(event: EventSourceMessage, url: string, apiKey: string | undefined): ChatChunk {
  let json: unknown;
  try {
    json = JSON.parse(event.data);
  } catch {
    throw new ModelError(
      'malformed',
      redactKey(`${url} sent a stream event that is not JSON: ${clip(event.data, 200)}`, apiKey),
    );
  }
  // llama.cpp and vLLM report failures during generation as an event with an `error` object.
  if (event.event === 'error' || (typeof json === 'object' && json !== null && 'error' in json)) {
    const said = serverMessage(event.data) ?? event.data;
    throw new ModelError(
      'server',
      redactKey(`${url} reported an error mid-stream: ${said}`, apiKey),
    );
  }
  const parsed = ChunkSchema.safeParse(json);
  if (!parsed.success) {
    throw new ModelError(
      'malformed',
      redactKey(
        `${url} sent an event that is not a chat.completion.chunk (${issues(parsed.error)}): ${clip(event.data, 200)}`,
        apiKey,
      ),
    );
  }
  return parsed.data;
}

function readFailure(
  error: unknown,
  connection: Connection,
  url: string,
  readTimeoutMs: number,
): Error {
  const reason = connection.cutReason();
  if (reason === 'abort') return new AbortedError();
  if (reason === 'read-timeout') {
    return new ModelError(
      'read-timeout',
      `${url} sent nothing for ${readTimeoutMs} ms (read timeout); the stream was closed`,
    );
  }
  const cause = error instanceof Error ? error.message : String(error);
  return new ModelError(
    'dropped',
    `the connection to ${url} broke before the answer was complete (${cause})`,
  );
}

/** Reading an error body is bounded by the read timeout too. */
async function withReadTimeout<T>(
  connection: Connection,
  server: Server,
  read: () => Promise<T>,
): Promise<T> {
  const timer = setTimeout(
    () => connection.cut('read-timeout'),
    server.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
  );
  try {
    return await read();
  } finally {
    clearTimeout(timer);
  }
}

/** The failure, redacted, carrying the answer text that had arrived before it. */
function withPartial(error: ModelError, answer: string, apiKey: string | undefined): ModelError {
  const message = redactKey(error.message, apiKey);
  if (!answer)
    return message === error.message ? error : new ModelError(error.code, message, error);
  return new ModelError(
    error.code,
    `${message}; ${answer.length} characters of answer had arrived and were kept`,
    { status: error.status, attempts: error.attempts, partialText: answer },
  );
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
