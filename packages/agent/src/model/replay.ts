// A scripted model: a file `{"responses": ["…", "…"]}` answered in order, whatever is asked,
// for demos and tests. Each response streams in a few chunks so consumers exercise their
// streaming path; running out of responses ends the turn with finishReason 'exhausted'.

import { z } from 'zod';
import { ModelError } from './errors.js';
import { ReasoningSplitter } from './reasoning.js';
import type { ChatModel, ChatRequest, ChatStreamEvent, TokenUsage } from './types.js';

const ReplayFileSchema = z.object({ responses: z.array(z.string()) }).strict();

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
      `a replay file must be {"responses": ["…", "…"]} (a list of strings); this one is not: ${where}`,
    );
  }
  const responses = parsed.data.responses;
  const pieces = Math.max(1, options.chunks ?? 4);
  let next = 0;
  return {
    kind: 'replay',
    id: `replay:${options.name ?? fnv1a(JSON.stringify(responses))}`,
    scripted: true,
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
      const splitter = new ReasoningSplitter();
      for (const piece of split(response, pieces)) {
        // Yield to the event loop between pieces, as a real stream would.
        await Promise.resolve();
        if (request.signal?.aborted) {
          yield { type: 'done', finishReason: 'abort' };
          return;
        }
        for (const s of splitter.push(piece)) yield { type: 'token', ...s };
      }
      for (const s of splitter.flush()) yield { type: 'token', ...s };
      yield { type: 'done', finishReason: 'stop', usage: estimateUsage(request, response) };
    },
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
