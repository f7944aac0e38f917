// What the OpenAI-compatible and WebLLM adapters share in turning a streamed chat completion (both
// speak OpenAI's chunk shape) into the contract's events.
import { ReasoningSplitter, type Channel, type Segment } from './reasoning.js';
import type { ChatStreamEvent, FinishReason, TokenUsage } from './types.js';

/** Token events from streamed text, reasoning kept apart; keeps the answer so far for a failure's partial text. */
export class TokenEvents {
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

export function tokenUsage(usage: {
  prompt_tokens: number;
  completion_tokens: number;
}): TokenUsage {
  return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
}

export function mapFinishReason(reason: string): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'abort') return 'abort';
  return 'stop';
}
