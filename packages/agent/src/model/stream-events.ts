// The one decoder of OpenAI-shaped chat streams: the OpenAI-compatible adapter (SSE over HTTP) and
// the WebLLM adapter (its engine's async iterable) both yield `chat.completion.chunk` objects, and
// this turns them into the contract's events. Each adapter keeps only its transport: how chunks
// arrive and what a failure of that transport means.
import type { ModelError } from './errors.js';
import { ReasoningSplitter, type Channel, type Segment } from './reasoning.js';
import type {
  ChatRequest,
  ChatStreamEvent,
  FinishReason,
  SamplingSettings,
  StreamedToolCall,
  TokenUsage,
} from './types.js';

/**
 * One piece of a tool call in a delta. llama.cpp and vLLM send id and name first and the arguments
 * in pieces, all under one `index`; Ollama sends each whole call in one chunk (older versions
 * without `index`); some servers send the arguments as an object rather than its JSON text.
 */
export interface ToolCallDelta {
  index?: number | null;
  id?: string | null;
  type?: string | null;
  function?: { name?: string | null; arguments?: unknown } | null;
}

/**
 * The part of a `chat.completion.chunk` the decoder reads. Optional and nullable where servers
 * differ: role-only deltas carry `content: null`, usage chunks have no choices.
 */
export interface ChatChunk {
  choices: Array<{
    delta?: {
      content?: string | null;
      /** llama.cpp, vLLM, LM Studio (and DeepSeek's API). */
      reasoning_content?: string | null;
      /** Ollama and OpenRouter's name for the same field. */
      reasoning?: string | null;
      tool_calls?: ToolCallDelta[] | null;
    } | null;
    finish_reason?: string | null;
  }>;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
}

/** The streaming request body both OpenAI's API and WebLLM's engine take; unset sampling stays unset. */
export function chatCompletionBody(request: Pick<ChatRequest, 'messages' | 'sampling' | 'tools'>): {
  messages: ChatRequest['messages'];
  tools?: ChatRequest['tools'];
  stream: true;
  stream_options: { include_usage: boolean };
} & SamplingSettings {
  const { temperature, top_p, seed, max_tokens } = request.sampling;
  return {
    messages: request.messages,
    ...(request.tools?.length ? { tools: request.tools } : {}),
    stream: true,
    stream_options: { include_usage: true },
    temperature,
    top_p,
    seed,
    max_tokens,
  };
}

export interface DecodeOptions {
  /** Models whose template opens the think block in the prompt start in 'reasoning'. */
  start?: Channel;
  /** Once aborted, the stream ends with finishReason 'abort', whatever the source did. */
  signal?: AbortSignal;
  /**
   * What a failure of the chunk source means, given the answer text streamed so far: the error
   * the stream ends with, or null when it was the caller's abort.
   */
  failure(error: unknown, answerSoFar: string): ModelError | null;
}

/**
 * Decodes chunks into token events (reasoning kept apart, from a server's field or `<think>` tags
 * split over chunks) and exactly one closing `done`: the finish reason and usage the stream
 * reported, 'abort' once the signal fired, or 'error' with the adapter's account of a failure.
 * Text streamed before a failure stays valid. A consumer that stops early returns the source too.
 */
export async function* decodeChatStream(
  chunks: AsyncIterable<ChatChunk>,
  options: DecodeOptions,
): AsyncGenerator<ChatStreamEvent> {
  const tokens = new TokenEvents(options.start);
  const calls = new ToolCallAssembler();
  let finishReason: FinishReason | undefined;
  let usage: TokenUsage | undefined;
  try {
    for await (const chunk of chunks) {
      if (chunk.usage) usage = tokenUsage(chunk.usage);
      for (const choice of chunk.choices) {
        const delta = choice.delta;
        const reasoning = delta?.reasoning_content ?? delta?.reasoning;
        if (reasoning) yield* tokens.reasoning(reasoning);
        if (delta?.content) yield* tokens.content(delta.content);
        if (delta?.tool_calls) yield* calls.push(delta.tool_calls);
        if (choice.finish_reason) finishReason = mapFinishReason(choice.finish_reason);
      }
    }
  } catch (error) {
    yield* tokens.flush();
    const failure = options.signal?.aborted ? null : options.failure(error, tokens.answer);
    // A call cut off mid-arguments is kept as it arrived, for the record; the loop runs nothing of
    // an answer that failed.
    yield failure
      ? { type: 'done', finishReason: 'error', error: failure, ...calls.done() }
      : { type: 'done', finishReason: 'abort', ...calls.done() };
    return;
  }
  yield* tokens.flush();
  yield {
    type: 'done',
    finishReason: options.signal?.aborted ? 'abort' : (finishReason ?? 'stop'),
    usage,
    ...calls.done(),
  };
}

/** Assembles tool calls from their streamed pieces, keyed by `index`. */
class ToolCallAssembler {
  private readonly calls: StreamedToolCall[] = [];

  *push(deltas: readonly ToolCallDelta[]): Generator<ChatStreamEvent> {
    for (const d of deltas) {
      const index = this.indexOf(d);
      const call = (this.calls[index] ??= { id: null, name: null, arguments: '' });
      if (d.id) call.id = d.id;
      if (d.function?.name) call.name = (call.name ?? '') + d.function.name;
      const args = argumentsText(d.function?.arguments);
      call.arguments += args;
      yield {
        type: 'tool_call',
        index,
        ...(d.id ? { id: d.id } : {}),
        ...(d.function?.name ? { name: d.function.name } : {}),
        arguments: args,
      };
    }
  }

  /** The assembled calls for the closing event, if there were any. */
  done(): { toolCalls?: StreamedToolCall[] } {
    const calls = this.calls.filter((c) => c !== undefined);
    return calls.length ? { toolCalls: calls } : {};
  }

  /**
   * Where a piece belongs. Without an index, a piece with an id or a name starts a new call and
   * anything else continues the last one; a new id at an index that already has another id is a
   * new call too (servers that number every whole call 0).
   */
  private indexOf(d: ToolCallDelta): number {
    const starts = Boolean(d.id || d.function?.name);
    if (typeof d.index !== 'number' || d.index < 0) {
      return starts || this.calls.length === 0 ? this.calls.length : this.calls.length - 1;
    }
    const existing = this.calls[d.index];
    if (existing?.id && d.id && existing.id !== d.id) return this.calls.length;
    return d.index;
  }
}

/** Arguments as JSON text: a string as sent, an object (some servers) as its JSON. */
function argumentsText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Token events from streamed text, reasoning kept apart; keeps the answer so far for a failure's partial text. */
class TokenEvents {
  answer = '';
  private readonly splitter: ReasoningSplitter;

  constructor(start: Channel = 'answer') {
    this.splitter = new ReasoningSplitter(start);
  }

  /** Content text, split at `<think>` tags. */
  *content(text: string): Generator<ChatStreamEvent> {
    yield* this.emit(this.splitter.push(text));
  }

  /** Text the server already labelled as reasoning. */
  *reasoning(text: string): Generator<ChatStreamEvent> {
    yield* this.emit([{ channel: 'reasoning', text }]);
  }

  /** Ends the stream: text held back as a possible tag start. */
  *flush(): Generator<ChatStreamEvent> {
    yield* this.emit(this.splitter.flush());
  }

  private *emit(segments: Segment[]): Generator<ChatStreamEvent> {
    for (const s of segments) {
      if (s.channel === 'answer') this.answer += s.text;
      yield { type: 'token', channel: s.channel, text: s.text };
    }
  }
}

function tokenUsage(usage: { prompt_tokens: number; completion_tokens: number }): TokenUsage {
  return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
}

/** OpenAI's finish reasons; anything else a server invents (tool_calls, content_filter) stops. */
function mapFinishReason(reason: string): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'abort') return 'abort';
  return 'stop';
}
