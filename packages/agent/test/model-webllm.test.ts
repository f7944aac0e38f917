import { describe, expect, it } from 'vitest';
import { ModelError } from '../src/model/errors.js';
import type { ChatRequest, ChatStreamEvent } from '../src/model/types.js';
import {
  createWebLLMModel,
  type ChatCompletionChunk,
  type ChatCompletionRequestStreaming,
  type EngineConfig,
  type InitProgressReport,
  type WebLLMEngine,
} from '../src/model/webllm.js';

const MODEL = 'Qwen3-1.7B-q4f32_1-MLC';

/**
 * A stand-in for WebLLM's engine with the same `chat.completions.create` shape. Like the real
 * engine, it ends the stream with finish_reason 'abort' once interruptGenerate() is called.
 */
class FakeEngine implements WebLLMEngine {
  requests: ChatCompletionRequestStreaming[] = [];
  interrupts = 0;
  unloaded = 0;
  pulledToEnd = false;
  private interrupted = false;

  constructor(
    private readonly pieces: string[],
    private readonly options: { failAfter?: number; finishReason?: 'stop' | 'length' } = {},
  ) {}

  chat = {
    completions: {
      create: async (request: ChatCompletionRequestStreaming) => {
        this.requests.push(request);
        return this.generate();
      },
    },
  };

  interruptGenerate(): void {
    this.interrupts++;
    this.interrupted = true;
  }

  async unload(): Promise<void> {
    this.unloaded++;
  }

  private async *generate(): AsyncGenerator<ChatCompletionChunk> {
    let i = 0;
    for (const piece of this.pieces) {
      if (this.options.failAfter === i) throw new Error('Device was lost');
      if (this.interrupted) break;
      await Promise.resolve();
      yield { choices: [{ delta: { content: piece }, finish_reason: null }] };
      i++;
    }
    yield {
      choices: [
        {
          delta: { content: '' },
          finish_reason: this.interrupted ? 'abort' : (this.options.finishReason ?? 'stop'),
        },
      ],
    };
    yield { choices: [], usage: { prompt_tokens: 40, completion_tokens: i } };
    this.pulledToEnd = true;
  }
}

async function load(engine: FakeEngine, extra: { contextWindowSize?: number } = {}) {
  const calls: Array<{ modelId: string; config: EngineConfig }> = [];
  const progress: InitProgressReport[] = [];
  const model = await createWebLLMModel({
    modelId: MODEL,
    ...extra,
    onProgress: (p) => progress.push(p),
    engineFactory: async (modelId, config) => {
      calls.push({ modelId, config });
      config.initProgressCallback({
        progress: 0.5,
        timeElapsed: 1.5,
        text: 'Fetching param cache',
      });
      config.initProgressCallback({ progress: 1, timeElapsed: 3, text: 'Finish loading' });
      return engine;
    },
  });
  return { model, calls, progress };
}

const request: ChatRequest = {
  messages: [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'task' },
  ],
  sampling: { temperature: 0.6, top_p: 0.95, seed: 3, max_tokens: 256 },
};

async function collect(
  stream: AsyncIterable<ChatStreamEvent>,
  onEvent?: (e: ChatStreamEvent) => void,
) {
  const events: ChatStreamEvent[] = [];
  for await (const e of stream) {
    events.push(e);
    onEvent?.(e);
  }
  return events;
}

const channelText = (events: ChatStreamEvent[], channel: 'answer' | 'reasoning') =>
  events.map((e) => (e.type === 'token' && e.channel === channel ? e.text : '')).join('');

describe('createWebLLMModel with a fake engine', () => {
  it('loads through the factory with the app config, forwarding load progress', async () => {
    const { model, calls, progress } = await load(new FakeEngine([]));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.modelId).toBe(MODEL);
    expect(calls[0]!.config.appConfig.model_list.some((r) => r.model_id === MODEL)).toBe(true);
    expect(calls[0]!.config.chatOpts).toEqual({});
    expect(progress).toEqual([
      { progress: 0.5, timeElapsed: 1.5, text: 'Fetching param cache' },
      { progress: 1, timeElapsed: 3, text: 'Finish loading' },
    ]);
    expect(model.id).toBe(`webllm:${MODEL}`);
    expect(model.kind).toBe('webllm');
    expect(model.scripted).toBe(false);
    const record = calls[0]!.config.appConfig.model_list.find((r) => r.model_id === MODEL);
    expect(model.contextWindow).toBe(record?.overrides?.context_window_size);
  });

  it('passes a chosen context window as chatOpts.context_window_size', async () => {
    const { model, calls } = await load(new FakeEngine([]), { contextWindowSize: 8192 });
    expect(calls[0]!.config.chatOpts).toEqual({ context_window_size: 8192 });
    expect(model.contextWindow).toBe(8192);
  });

  it('maps the request onto chat.completions.create with streaming and usage', async () => {
    const engine = new FakeEngine(['Hi']);
    const { model } = await load(engine);
    await collect(model.stream(request));
    expect(engine.requests).toEqual([
      {
        messages: request.messages,
        stream: true,
        stream_options: { include_usage: true },
        temperature: 0.6,
        top_p: 0.95,
        seed: 3,
        max_tokens: 256,
      },
    ]);
  });

  it('streams content, keeping <think> apart, and reports finish and usage', async () => {
    const engine = new FakeEngine(['<thi', 'nk>let me', ' see</think>', '\n\nAnswer', '.']);
    const { model } = await load(engine);
    const events = await collect(model.stream(request));
    expect(channelText(events, 'reasoning')).toBe('let me see');
    expect(channelText(events, 'answer')).toBe('\n\nAnswer.');
    expect(events.at(-1)).toEqual({
      type: 'done',
      finishReason: 'stop',
      usage: { promptTokens: 40, completionTokens: 5 },
    });
  });

  it('maps finish_reason length', async () => {
    const { model } = await load(new FakeEngine(['a'], { finishReason: 'length' }));
    const events = await collect(model.stream(request));
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'length' });
  });

  it('calls interruptGenerate on abort and ends with finishReason abort', async () => {
    const engine = new FakeEngine(['one ', 'two ', 'three ', 'four']);
    const { model } = await load(engine);
    const controller = new AbortController();
    const events = await collect(model.stream({ ...request, signal: controller.signal }), (e) => {
      if (e.type === 'token') controller.abort();
    });
    expect(engine.interrupts).toBe(1);
    expect(channelText(events, 'answer')).toBe('one ');
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'abort' });
  });

  it('interrupts and drains the engine’s stream when the consumer stops early', async () => {
    const engine = new FakeEngine(['one ', 'two ', 'three ']);
    const { model } = await load(engine);
    for await (const e of model.stream(request)) {
      if (e.type === 'token') break;
    }
    expect(engine.interrupts).toBe(1);
    expect(engine.pulledToEnd).toBe(true);
  });

  it('turns an engine failure into an error event, keeping the text so far', async () => {
    const { model } = await load(new FakeEngine(['partial ', 'more'], { failAfter: 1 }));
    const events = await collect(model.stream(request));
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'done', finishReason: 'error' });
    if (last?.type !== 'done') throw new Error('no done');
    expect(last.error).toBeInstanceOf(ModelError);
    expect(last.error?.code).toBe('engine');
    expect(last.error?.message).toContain('Device was lost');
    expect(last.error?.partialText).toBe('partial ');
  });

  it('unloads the engine on dispose', async () => {
    const engine = new FakeEngine([]);
    const { model } = await load(engine);
    await model.dispose?.();
    expect(engine.unloaded).toBe(1);
  });

  it('rejects an unknown model id before creating an engine, and wraps load failures', async () => {
    let created = false;
    await expect(
      createWebLLMModel({
        modelId: 'No-Such-Model-MLC',
        engineFactory: async () => {
          created = true;
          return new FakeEngine([]);
        },
      }),
    ).rejects.toMatchObject({
      code: 'invalid-config',
      message: expect.stringContaining('No-Such'),
    });
    expect(created).toBe(false);
    await expect(
      createWebLLMModel({
        modelId: MODEL,
        engineFactory: () =>
          Promise.reject(new Error('This model requires WebGPU extension shader-f16')),
      }),
    ).rejects.toMatchObject({ code: 'engine', message: expect.stringContaining('shader-f16') });
  });

  it('starts DeepSeek-R1 distills in reasoning, since their template opens the think block', async () => {
    const engine = new FakeEngine(['weighing it', '</think>', 'Result']);
    const model = await createWebLLMModel({
      modelId: 'DeepSeek-R1-Distill-Qwen-7B-q4f32_1-MLC',
      engineFactory: async () => engine,
    });
    const events = await collect(model.stream(request));
    expect(channelText(events, 'reasoning')).toBe('weighing it');
    expect(channelText(events, 'answer')).toBe('Result');
  });
});
