// A scripted model: a file `{"responses": ["…", "…"]}` answered in order, whatever is asked,
// for demos and tests. Each response streams in a few chunks so consumers exercise their
// streaming path; running out of responses ends the turn with finishReason 'exhausted'.
//
// The file's format:
//   { "protocol"?: "fenced" | "tools",
//     "responses": [ "<assistant text>",
//                    { "content"?: "<text>",
//                      "tool_calls": [ { "id"?: "…", "name": "run_python",
//                                        "arguments": { "code": "…" } | "<JSON text>" } ] } ] }
// A response is the assistant's text, or a message with tool calls (the `tools` protocol); the
// arguments may be an object or the JSON text a model would stream (even invalid, to replay a bad
// call). The replay's protocol comes from its file: `protocol` when given, else `tools` when any
// response has tool calls, else `fenced`.

import { z } from 'zod';
import { ModelError } from './errors.js';
import { ReasoningSplitter } from './reasoning.js';
import type {
  ChatModel,
  ChatRequest,
  ChatStreamEvent,
  StreamedToolCall,
  TokenUsage,
} from './types.js';

const ReplayToolCallSchema = z
  .object({
    id: z.string().min(1).optional(),
    name: z.string(),
    arguments: z.union([z.string(), z.record(z.string(), z.unknown())]),
  })
  .strict();

const ReplayResponseSchema = z.union([
  z.string(),
  z.object({ content: z.string().optional(), tool_calls: z.array(ReplayToolCallSchema) }).strict(),
]);

const ReplayFileSchema = z
  .object({
    protocol: z.enum(['fenced', 'tools']).optional(),
    responses: z.array(ReplayResponseSchema),
  })
  .strict();

export type ReplayFile = z.infer<typeof ReplayFileSchema>;

export interface ReplayOptions {
  /** Shown in the id (e.g. the file name); defaults to a hash of the responses. */
  name?: string;
  /** Pieces each response is streamed in. Default 4. */
  chunks?: number;
}

/** Characters per token for the usage estimate: the usual rule of thumb for English text. */
export const CHARS_PER_TOKEN = 4;

export function createReplayModel(file: unknown, options: ReplayOptions = {}): ChatModel {
  const parsed = ReplayFileSchema.safeParse(file);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`)
      .join('; ');
    throw new ModelError(
      'invalid-replay',
      'a replay file must be {"responses": [...]} with each response a string or ' +
        `{"content": "…", "tool_calls": [{"name": …, "arguments": …}]}; this one is not: ${where}`,
    );
  }
  const responses = parsed.data.responses;
  const protocol =
    parsed.data.protocol ??
    (responses.some((r) => typeof r !== 'string' && r.tool_calls.length) ? 'tools' : 'fenced');
  const pieces = Math.max(1, options.chunks ?? 4);
  let next = 0;
  return {
    kind: 'replay',
    id: `replay:${options.name ?? fnv1a(JSON.stringify(responses))}`,
    scripted: true,
    protocol,
    async *stream(request: ChatRequest): AsyncGenerator<ChatStreamEvent> {
      if (request.signal?.aborted) {
        yield { type: 'done', finishReason: 'abort' };
        return;
      }
      const response = responses[next];
      if (response === undefined) {
        yield { type: 'done', finishReason: 'exhausted' };
        return;
      }
      next++;
      const text = typeof response === 'string' ? response : (response.content ?? '');
      const calls = typeof response === 'string' ? [] : response.tool_calls.map(streamedCall);
      const splitter = new ReasoningSplitter();
      for (const piece of split(text, pieces)) {
        // Yield to the event loop between pieces, as a real stream would.
        await Promise.resolve();
        if (request.signal?.aborted) {
          yield { type: 'done', finishReason: 'abort' };
          return;
        }
        for (const s of splitter.push(piece)) yield { type: 'token', ...s };
      }
      for (const s of splitter.flush()) yield { type: 'token', ...s };
      for (const [index, c] of calls.entries()) {
        yield {
          type: 'tool_call',
          index,
          ...(c.id ? { id: c.id } : {}),
          name: c.name!,
          arguments: c.arguments,
        };
      }
      const written = text + calls.map((c) => (c.name ?? '') + c.arguments).join('');
      yield {
        type: 'done',
        finishReason: 'stop',
        usage: estimateUsage(request, written),
        ...(calls.length ? { toolCalls: calls } : {}),
      };
    },
  };
}

function streamedCall(c: z.infer<typeof ReplayToolCallSchema>): StreamedToolCall {
  return {
    id: c.id ?? null,
    name: c.name,
    arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
  };
}

/** Token counts from text length (CHARS_PER_TOKEN), marked as estimated. */
export function estimateUsage(request: ChatRequest, response: string): TokenUsage {
  const promptChars = request.messages.reduce((n, m) => n + m.content.length, 0);
  return {
    promptTokens: Math.ceil(promptChars / CHARS_PER_TOKEN),
    completionTokens: Math.ceil(response.length / CHARS_PER_TOKEN),
    estimated: true,
  };
}

/** Cuts text into `n` pieces of near-equal length, never inside a surrogate pair. */
function split(text: string, n: number): string[] {
  const chars = Array.from(text);
  const size = Math.max(1, Math.ceil(chars.length / n));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/**
 * 32-bit FNV-1a as 8 hex digits: a stable label for an unnamed replay. Hand-written because it
 * must be synchronous in the browser too (WebCrypto digests are async); not a security check.
 */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
