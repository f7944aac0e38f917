// ChatModel over WebLLM (in-browser inference on WebGPU), through its Web Worker engine. The
// engine is created by a factory so tests can pass a fake with the same
// `chat.completions.create` shape; the page passes `webWorkerEngineFactory(worker)`.

import { CreateWebWorkerMLCEngine } from '@mlc-ai/web-llm';
import { ModelError } from './errors.js';
import { chatCompletionBody, decodeChatStream } from './stream-events.js';
import type { ChatModel, ChatRequest, ChatStreamEvent } from './types.js';
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
  stream: true;
  stream_options?: { include_usage: boolean };
  temperature?: number;
  top_p?: number;
  seed?: number;
  max_tokens?: number;
}

export interface ChatCompletionChunk {
  choices: Array<{
    delta: { content?: string | null };
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
  return {
    kind: 'webllm',
    id: `webllm:${options.modelId}`,
    scripted: false,
    contextWindow,
    stream: (request) => streamChat(engine, request, startsInReasoning),
    dispose: () => engine.unload(),
  };
}

function streamChat(
  engine: WebLLMEngine,
  request: ChatRequest,
  startsInReasoning: boolean,
): AsyncIterable<ChatStreamEvent> {
  return decodeChatStream(engineChunks(engine, request), {
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
