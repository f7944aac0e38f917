import { describe, expect, it } from 'vitest';
import { ModelError } from '../src/model/errors.js';
import { decodeChatStream, type ChatChunk } from '../src/model/stream-events.js';
import type { ChatStreamEvent } from '../src/model/types.js';

async function* source(chunks: ChatChunk[], failWith?: Error): AsyncGenerator<ChatChunk> {
  for (const c of chunks) {
    await Promise.resolve();
    yield c;
  }
  if (failWith) throw failWith;
}

async function decode(
  chunks: AsyncIterable<ChatChunk>,
  extra: { signal?: AbortSignal; failure?: (e: unknown, a: string) => ModelError | null } = {},
): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  const failure = extra.failure ?? ((e: unknown) => new ModelError('dropped', String(e)));
  for await (const e of decodeChatStream(chunks, { ...extra, failure })) events.push(e);
  return events;
}

const delta = (d: NonNullable<ChatChunk['choices'][number]['delta']>, finish?: string) => ({
  choices: [{ delta: d, finish_reason: finish ?? null }],
});

// llama-server's first chunk: a role and no content (a field the decoder does not read).
const roleOnly = {
  choices: [{ delta: { role: 'assistant', content: null }, finish_reason: null }],
};

describe('decodeChatStream (the one OpenAI-shaped stream decoder)', () => {
  it('keeps a server’s reasoning field and inline <think> apart, then reports finish and usage', async () => {
    const events = await decode(
      source([
        roleOnly,
        delta({ reasoning_content: 'plan ' }),
        delta({ reasoning: 'more' }),
        delta({ content: '<thi' }),
        delta({ content: 'nk>inline</think>Answer' }),
        delta({}, 'length'),
        { choices: [], usage: { prompt_tokens: 12, completion_tokens: 4 } },
      ]),
    );
    expect(events).toEqual([
      { type: 'token', channel: 'reasoning', text: 'plan ' },
      { type: 'token', channel: 'reasoning', text: 'more' },
      { type: 'token', channel: 'reasoning', text: 'inline' },
      { type: 'token', channel: 'answer', text: 'Answer' },
      {
        type: 'done',
        finishReason: 'length',
        usage: { promptTokens: 12, completionTokens: 4 },
      },
    ]);
  });

  it('ends a failed source with the adapter’s error, given the answer that had arrived', async () => {
    const seen: string[] = [];
    const events = await decode(source([delta({ content: 'half an ' })], new Error('reset')), {
      failure: (error, answer) => {
        seen.push(answer);
        return new ModelError('dropped', `broke: ${(error as Error).message}`);
      },
    });
    expect(seen).toEqual(['half an ']);
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      finishReason: 'error',
      error: { code: 'dropped', message: 'broke: reset' },
    });
    expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
  });

  it('ends with abort, never an error, once the signal fired or the adapter says it was an abort', async () => {
    const aborted = await decode(source([delta({ content: 'x' })], new Error('cut')), {
      signal: AbortSignal.abort(),
    });
    expect(aborted.at(-1)).toEqual({ type: 'done', finishReason: 'abort' });
    const said = await decode(source([], new Error('aborted')), { failure: () => null });
    expect(said).toEqual([{ type: 'done', finishReason: 'abort' }]);
    const clean = await decode(source([delta({}, 'stop')]), { signal: AbortSignal.abort() });
    expect(clean.at(-1)).toMatchObject({ type: 'done', finishReason: 'abort' });
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* endless(): AsyncGenerator<ChatChunk> {
      try {
        for (;;) yield delta({ content: 'x' });
      } finally {
        closed = true;
      }
    }
    const failure = () => null;
    for await (const e of decodeChatStream(endless(), { failure })) if (e.type === 'token') break;
    expect(closed).toBe(true);
  });
});

describe('decodeChatStream: tool calls', () => {
  async function decode(chunks: ChatChunk[]) {
    const events: ChatStreamEvent[] = [];
    async function* source() {
      yield* chunks;
    }
    for await (const e of decodeChatStream(source(), { failure: () => null })) events.push(e);
    return events;
  }

  it('assembles pieces by index; arguments sent as an object become their JSON text', async () => {
    const events = await decode([
      {
        choices: [
          {
            delta: {
              tool_calls: [
                { index: 0, id: 'a', function: { name: 'run_python', arguments: '{"co' } },
              ],
            },
          },
        ],
      },
      {
        choices: [
          {
            delta: {
              tool_calls: [
                { index: 1, id: 'b', function: { name: 'run_python', arguments: { code: 'y' } } },
              ],
            },
          },
        ],
      },
      {
        choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: 'de": "x"}' } }] } }],
      },
      { choices: [{ delta: {}, finish_reason: 'tool_calls' }] },
    ]);
    const done = events.at(-1);
    expect(done).toEqual({
      type: 'done',
      finishReason: 'stop',
      usage: undefined,
      toolCalls: [
        { id: 'a', name: 'run_python', arguments: '{"code": "x"}' },
        { id: 'b', name: 'run_python', arguments: '{"code":"y"}' },
      ],
    });
    expect(
      events.filter((e) => e.type === 'tool_call').map((e) => e.type === 'tool_call' && e.index),
    ).toEqual([0, 1, 0]);
  });

  it('a stream without tool calls has none on its closing event', async () => {
    const events = await decode([
      { choices: [{ delta: { content: 'hi' }, finish_reason: 'stop' }] },
    ]);
    expect(events.at(-1)).not.toHaveProperty('toolCalls');
  });
});
