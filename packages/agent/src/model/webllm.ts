// ChatModel over WebLLM (in-browser inference on WebGPU), through its Web Worker engine. The
// engine is created by a factory so tests can pass a fake with the same
// `chat.completions.create` shape; the page passes `webWorkerEngineFactory(worker)`.

import { CreateWebWorkerMLCEngine, functionCallingModelIds } from '@mlc-ai/web-llm';
import { ModelError } from './errors.js';
import { chatCompletionBody, decodeChatStream, type ToolCallDelta } from './stream-events.js';
import type { ChatMessage, ChatModel, ChatRequest, ChatStreamEvent } from './types.js';
import { parseAppConfig, prebuiltWebLLMConfig, type AppConfig } from './webllm-catalog.js';

// WebLLM's own types do not resolve under NodeNext (see webllm-catalog.ts); these are the parts
// of its documented API the adapter uses, copied from its openai_api_protocols and types.

export interface InitProgressReport {
  progress: number;
  timeElapsed: number;
  text: string;
}

export interface ChatOptions {
  context_window_size?: number;
}

export interface ChatCompletionRequestStreaming {
  messages: ChatRequest['messages'];
  tools?: ChatRequest['tools'];
  stream: true;
  stream_options?: { include_usage: boolean };
  temperature?: number;
  top_p?: number;
  seed?: number;
  max_tokens?: number;
}

export interface ChatCompletionChunk {
  choices: Array<{
    delta: { content?: string | null; tool_calls?: ToolCallDelta[] | null };
    finish_reason: 'stop' | 'length' | 'tool_calls' | 'abort' | null;
  }>;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

/** The part of WebLLM's MLCEngineInterface the adapter uses. */
export interface WebLLMEngine {
  chat: {
    completions: {
      create(request: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>>;
    };
  };
  interruptGenerate(): void;
  unload(): Promise<void>;
}

export interface EngineConfig {
  appConfig: AppConfig;
  initProgressCallback: (report: InitProgressReport) => void;
  /** Per-model overrides of mlc-chat-config, e.g. context_window_size. */
  chatOpts: ChatOptions;
}

export type WebLLMEngineFactory = (modelId: string, config: EngineConfig) => Promise<WebLLMEngine>;

/** WebLLM's documented worker engine: `CreateWebWorkerMLCEngine(worker, modelId, …)`. */
export function webWorkerEngineFactory(worker: unknown): WebLLMEngineFactory {
  return async (modelId, { appConfig, initProgressCallback, chatOpts }) => {
    const engine: WebLLMEngine = await CreateWebWorkerMLCEngine(
      worker,
      modelId,
      { appConfig, initProgressCallback },
      chatOpts,
    );
    return engine;
  };
}

export interface WebLLMModelOptions {
  /** A model_id from the app config, e.g. 'Qwen3-1.7B-q4f32_1-MLC'. */
  modelId: string;
  engineFactory: WebLLMEngineFactory;
  appConfig?: AppConfig;
  /** Context window to load the model with; defaults to the record's (4096 for most). */
  contextWindowSize?: number;
  /** Load progress as WebLLM reports it: progress in [0, 1], seconds elapsed, a description. */
  onProgress?: (report: InitProgressReport) => void;
}

/** Loads the model (downloading weights on first use) and returns it as a ChatModel. */
export async function createWebLLMModel(options: WebLLMModelOptions): Promise<ChatModel> {
  const appConfig = options.appConfig ? parseAppConfig(options.appConfig) : prebuiltWebLLMConfig();
  const record = appConfig.model_list.find((r) => r.model_id === options.modelId);
  if (!record) {
    throw new ModelError(
      'invalid-config',
      `WebLLM has no model "${options.modelId}"; pick one from the catalogue (webllmCatalog()).`,
    );
  }
  if (options.contextWindowSize !== undefined && !(options.contextWindowSize > 0)) {
    throw new ModelError(
      'invalid-config',
      'the context window must be a positive number of tokens',
    );
  }
  const contextWindow = options.contextWindowSize ?? record.overrides?.context_window_size;
  const chatOpts: ChatOptions =
    options.contextWindowSize === undefined
      ? {}
      : { context_window_size: options.contextWindowSize };
  let engine: WebLLMEngine;
  try {
    engine = await options.engineFactory(options.modelId, {
      appConfig,
      initProgressCallback: (report) => options.onProgress?.(report),
      chatOpts,
    });
  } catch (error) {
    throw new ModelError('engine', `WebLLM could not load ${options.modelId}: ${message(error)}`);
  }
  // Models whose template opens the think block in the prompt emit only `</think>`.
  const startsInReasoning = /DeepSeek-R1/i.test(options.modelId);
  const support = webllmToolSupport(options.modelId);
  return {
    kind: 'webllm',
    id: `webllm:${options.modelId}`,
    scripted: false,
    contextWindow,
    stream: (request) => streamChat(engine, request, startsInReasoning),
    probeTools: () => Promise.resolve(support),
    dispose: () => engine.unload(),
  };
}

/**
 * Whether WebLLM does function calling for a model: only for the ids it lists
 * (`functionCallingModelIds`, the Hermes models); it refuses `tools` for every other model.
 */
export function webllmToolSupport(modelId: string): { accepted: boolean; reason: string } {
  return functionCallingModelIds.includes(modelId)
    ? { accepted: true, reason: `WebLLM lists ${modelId} as supporting function calling` }
    : {
        accepted: false,
        reason: `WebLLM does function calling only for its Hermes models, not ${modelId}`,
      };
}

/**
 * The conversation as WebLLM's Hermes function calling takes it: it writes its own system prompt
 * (one of ours is refused), so ours leads the first user message; an assistant turn that called
 * tools is the JSON array Hermes wrote (WebLLM reads only an assistant's `content`).
 */
export function hermesMessages(messages: readonly ChatMessage[]): ChatMessage[] {
  const system = messages[0]?.role === 'system' ? messages[0].content : null;
  const rest = system === null ? [...messages] : messages.slice(1);
  let merged = system === null;
  return rest.map((m) => {
    if (!merged && m.role === 'user') {
      merged = true;
      return { role: 'user', content: `${system}\n\n${m.content}` };
    }
    if (m.role === 'assistant' && m.tool_calls?.length) {
      const calls = m.tool_calls.map((c) => ({
        name: c.function.name,
        arguments: jsonOrText(c.function.arguments),
      }));
      return { role: 'assistant', content: JSON.stringify(calls) };
    }
    if (m.role === 'tool')
      return { role: 'tool', content: m.content, tool_call_id: m.tool_call_id };
    return { role: m.role, content: m.content };
  });
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function streamChat(
  engine: WebLLMEngine,
  request: ChatRequest,
  startsInReasoning: boolean,
): AsyncIterable<ChatStreamEvent> {
  const chunks = request.tools?.length
    ? hermesChunks(engineChunks(engine, { ...request, messages: hermesMessages(request.messages) }))
    : engineChunks(engine, request);
  return decodeChatStream(chunks, {
    start: startsInReasoning ? 'reasoning' : 'answer',
    signal: request.signal,
    failure: (error, answerSoFar) =>
      new ModelError('engine', `WebLLM failed while generating: ${message(error)}`, {
        partialText: answerSoFar || undefined,
      }),
  });
}

/** The engine's chunks; an abort interrupts generation (WebLLM then ends with finish_reason abort). */
async function* engineChunks(
  engine: WebLLMEngine,
  request: ChatRequest,
): AsyncGenerator<ChatCompletionChunk> {
  if (request.signal?.aborted) return;
  const onAbort = (): void => engine.interruptGenerate();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  let iterator: AsyncIterator<ChatCompletionChunk> | undefined;
  let finished = false;
  try {
    const chunks = await engine.chat.completions.create(chatCompletionBody(request));
    iterator = chunks[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<ChatCompletionChunk>;
      try {
        next = await iterator.next();
      } catch (error) {
        finished = true;
        throw error;
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
    if (!finished && iterator) {
      // The consumer stopped early. WebLLM holds a per-model lock until its generator ends, so
      // stop decoding and pull the stream to its end rather than leave it suspended.
      engine.interruptGenerate();
      await drain(iterator);
    }
  }
}

/**
 * Under function calling WebLLM streams the Hermes JSON as content and puts the parsed calls on the
 * final chunk. The content is held back: dropped when calls came (they are the same thing), passed
 * on as the answer when none did.
 */
async function* hermesChunks(
  chunks: AsyncIterable<ChatCompletionChunk>,
): AsyncGenerator<ChatCompletionChunk> {
  let held = '';
  for await (const chunk of chunks) {
    const choice = chunk.choices[0];
    if (!choice) {
      yield chunk;
      continue;
    }
    held += choice.delta.content ?? '';
    const calls = choice.delta.tool_calls ?? [];
    if (!choice.finish_reason) {
      if (chunk.usage) yield { ...chunk, choices: [] };
      continue;
    }
    const content = calls.length ? '' : held;
    yield {
      ...chunk,
      choices: [{ ...choice, delta: { content, ...(calls.length ? { tool_calls: calls } : {}) } }],
    };
  }
}

async function drain(iterator: AsyncIterator<ChatCompletionChunk>): Promise<void> {
  try {
    while (!(await iterator.next()).done) {
      // discard
    }
  } catch {
    // The stream is being abandoned; its errors no longer matter.
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
