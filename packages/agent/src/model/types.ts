// The contract every model adapter implements (WebLLM, OpenAI-compatible HTTP, replay), shared
// by the page and the CLI, as WebLLM's MLCEngineInterface is shared by its in-thread and worker
// engines. The agent loop only ever sees this.

import type { ModelError } from './errors.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** An assistant message's tool calls, in OpenAI's wire shape (the `tools` protocol). */
  tool_calls?: ToolCall[];
  /** A `tool` message: the call it answers. */
  tool_call_id?: string;
}

/** One function call as OpenAI's API carries it; `arguments` is the JSON text the model wrote. */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A function offered to the model in the request's `tools`. */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
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
  /** Functions the model may call (the `tools` protocol); absent means plain text only. */
  tools?: ToolDefinition[];
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
  /**
   * A piece of a streamed tool call: `index` is the call's position in the answer; id and name come
   * with its first piece, the arguments' JSON text in pieces. For a live view; `done` has the whole.
   */
  | { type: 'tool_call'; index: number; id?: string; name?: string; arguments: string }
  | {
      type: 'done';
      finishReason: FinishReason;
      /** The answer's tool calls, assembled from their pieces (a server's `finish_reason: "tool_calls"` is 'stop'). */
      toolCalls?: StreamedToolCall[];
      usage?: TokenUsage;
      /** Set when finishReason is 'error': what went wrong (tokens already streamed stay valid). */
      error?: ModelError;
    };

/**
 * A tool call as the stream delivered it: id or name may be missing (some servers omit the id; a
 * dropped stream may end before the name), the arguments are whatever text arrived.
 */
export interface StreamedToolCall {
  id: string | null;
  name: string | null;
  arguments: string;
}

export type ModelKind = 'webllm' | 'openai' | 'replay';

export interface ChatModel {
  readonly kind: ModelKind;
  /** Stable, secret-free id, e.g. `openai:http://127.0.0.1:8080/v1#qwen3-8b`. */
  readonly id: string;
  /** True when the output is scripted (replay): every artefact of such a run must say so. */
  readonly scripted: boolean;
  /** Tokens the model can attend to, when the adapter knows it. */
  readonly contextWindow?: number;
  /** The protocol this model dictates (a replay file's), overriding the run's choice. */
  readonly protocol?: 'fenced' | 'tools';
  /**
   * Whether the model takes OpenAI `tools` (for the `auto` protocol): a server is asked with one
   * tiny request, WebLLM answers from its function-calling list. Absent: no tool calling.
   */
  probeTools?(signal?: AbortSignal): Promise<{ accepted: boolean; reason: string }>;
  stream(request: ChatRequest): AsyncIterable<ChatStreamEvent>;
  dispose?(): Promise<void>;
}
