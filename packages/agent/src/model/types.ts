// The contract every model adapter implements (WebLLM, OpenAI-compatible HTTP, replay), shared
// by the page and the CLI, as WebLLM's MLCEngineInterface is shared by its in-thread and worker
// engines. The agent loop only ever sees this.

import type { ModelError } from './errors.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Sampling settings, stored with every run. Unset means "the server's default". */
export interface SamplingSettings {
  temperature?: number;
  top_p?: number;
  seed?: number;
  max_tokens?: number;
}

export interface ChatRequest {
  messages: ChatMessage[];
  sampling: SamplingSettings;
  /** Aborting ends the stream with finishReason 'abort' (WebLLM: interruptGenerate). */
  signal?: AbortSignal;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** True when the counts are estimated (replay), not reported by a tokenizer. */
  estimated?: boolean;
}

/**
 * Why a turn ended. 'exhausted' is a replay that has no response left, which the loop treats as
 * the model stopping.
 */
export type FinishReason = 'stop' | 'length' | 'abort' | 'exhausted' | 'error';

export type ChatStreamEvent =
  /** A piece of text; reasoning (`<think>…</think>` or a server's reasoning field) is kept apart. */
  | { type: 'token'; channel: 'answer' | 'reasoning'; text: string }
  | {
      type: 'done';
      finishReason: FinishReason;
      usage?: TokenUsage;
      /** Set when finishReason is 'error': what went wrong (tokens already streamed stay valid). */
      error?: ModelError;
    };

export type ModelKind = 'webllm' | 'openai' | 'replay';

export interface ChatModel {
  readonly kind: ModelKind;
  /** Stable, secret-free id, e.g. `openai:http://127.0.0.1:8080/v1#qwen3-8b`. */
  readonly id: string;
  /** True when the output is scripted (replay): every artefact of such a run must say so. */
  readonly scripted: boolean;
  /** Tokens the model can attend to, when the adapter knows it. */
  readonly contextWindow?: number;
  stream(request: ChatRequest): AsyncIterable<ChatStreamEvent>;
  dispose?(): Promise<void>;
}
