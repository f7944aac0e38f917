import { describe, expect, it } from 'vitest';
import { ModelError } from '../src/model/errors.js';
import { CHARS_PER_TOKEN, createReplayModel } from '../src/model/replay.js';
import type { ChatModel, ChatRequest, ChatStreamEvent } from '../src/model/types.js';

const ask = (content: string, signal?: AbortSignal): ChatRequest => ({
  messages: [{ role: 'user', content }],
  sampling: {},
  signal,
});

async function turn(model: ChatModel, request: ChatRequest): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const e of model.stream(request)) events.push(e);
  return events;
}

const answer = (events: ChatStreamEvent[]) =>
  events.map((e) => (e.type === 'token' && e.channel === 'answer' ? e.text : '')).join('');

describe('createReplayModel', () => {
  it('answers in order whatever is asked, then reports exhaustion', async () => {
    const model = createReplayModel({ responses: ['first answer', 'second ```python\nx=1\n```'] });
    expect(answer(await turn(model, ask('anything')))).toBe('first answer');
    expect(answer(await turn(model, ask('something else entirely')))).toBe(
      'second ```python\nx=1\n```',
    );
    expect(await turn(model, ask('more?'))).toEqual([{ type: 'done', finishReason: 'exhausted' }]);
    expect(await turn(model, ask('still?'))).toEqual([{ type: 'done', finishReason: 'exhausted' }]);
  });

  it('streams each response in several chunks', async () => {
    const response = 'a'.repeat(40);
    const events = await turn(createReplayModel({ responses: [response] }), ask('q'));
    const tokens = events.filter((e) => e.type === 'token');
    expect(tokens.length).toBe(4);
    expect(answer(events)).toBe(response);
    const single = await turn(
      createReplayModel({ responses: [response] }, { chunks: 1 }),
      ask('q'),
    );
    expect(single.filter((e) => e.type === 'token')).toHaveLength(1);
  });

  it('does not split surrogate pairs', async () => {
    const response = '📈📉📊🥭';
    const events = await turn(createReplayModel({ responses: [response] }), ask('q'));
    for (const e of events) if (e.type === 'token') expect(Array.from(e.text)).toHaveLength(1);
    expect(answer(events)).toBe(response);
  });

  it('keeps <think> reasoning apart, even when a chunk cuts the tag', async () => {
    // 24 characters in 4 chunks of 6: the first chunk ends inside "<think>".
    const events = await turn(
      createReplayModel({ responses: ['<think>why?</think>DONE!'] }),
      ask('q'),
    );
    const reasoning = events
      .map((e) => (e.type === 'token' && e.channel === 'reasoning' ? e.text : ''))
      .join('');
    expect(reasoning).toBe('why?');
    expect(answer(events)).toBe('DONE!');
  });

  it('marks itself scripted and reports usage estimated from characters', async () => {
    const model = createReplayModel({ responses: ['12345678'] });
    expect(model.scripted).toBe(true);
    expect(model.kind).toBe('replay');
    const prompt = 'x'.repeat(10);
    const last = (await turn(model, ask(prompt))).at(-1);
    expect(last).toEqual({
      type: 'done',
      finishReason: 'stop',
      usage: {
        promptTokens: Math.ceil(10 / CHARS_PER_TOKEN),
        completionTokens: Math.ceil(8 / CHARS_PER_TOKEN),
        estimated: true,
      },
    });
  });

  it('names itself after the given name, or a stable hash of the responses', () => {
    expect(createReplayModel({ responses: ['a'] }, { name: 'solution.json' }).id).toBe(
      'replay:solution.json',
    );
    const a = createReplayModel({ responses: ['a', 'b'] }).id;
    expect(a).toMatch(/^replay:[0-9a-f]{8}$/);
    expect(createReplayModel({ responses: ['a', 'b'] }).id).toBe(a);
    expect(createReplayModel({ responses: ['a', 'c'] }).id).not.toBe(a);
  });

  it('ends with abort when the signal fires, and consumes that response', async () => {
    const model = createReplayModel({ responses: ['one two three four', 'next'] });
    const controller = new AbortController();
    const events: ChatStreamEvent[] = [];
    for await (const e of model.stream(ask('q', controller.signal))) {
      events.push(e);
      controller.abort();
    }
    expect(events.filter((e) => e.type === 'token')).toHaveLength(1);
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'abort' });
    expect(answer(await turn(model, ask('q')))).toBe('next');
  });

  it('rejects files of the wrong shape with a clear message', () => {
    const bad: unknown[] = [
      null,
      ['a'],
      { response: ['a'] },
      { responses: 'a' },
      { responses: ['a', 2] },
      { responses: ['a'], extra: true },
    ];
    for (const file of bad) {
      let error: unknown;
      try {
        createReplayModel(file);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(file)).toBeInstanceOf(ModelError);
      expect((error as ModelError).code).toBe('invalid-replay');
      expect((error as ModelError).message).toContain(
        'a replay file must be {"responses": [...]} with each response a string or',
      );
    }
    let error: ModelError | undefined;
    try {
      createReplayModel({ responses: ['a', 2] });
    } catch (e) {
      error = e as ModelError;
    }
    expect(error?.message).toContain('responses.1');
  });
});
