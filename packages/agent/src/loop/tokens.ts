// Token estimation without a tokenizer: the models run here (Qwen, Llama, Phi, Gemma via WebLLM or
// llama.cpp) each have their own vocabulary, and no single JS tokenizer matches them all, so a
// character ratio is as honest as a wrong tokenizer and costs nothing. 3.5 characters per token is a
// little pessimistic for English prose (~4) and about right for Python code; each message also pays
// a few tokens of chat-template framing. When an adapter reports the real prompt size the loop
// calibrates the ratio to it (see `calibrated`).
import type { ChatMessage } from '../model/types.js';

export const DEFAULT_CHARS_PER_TOKEN = 3.5;
/** Chat templates wrap each message in role markers (`<|im_start|>user\n … <|im_end|>\n`). */
export const MESSAGE_OVERHEAD_TOKENS = 6;

export interface TokenEstimator {
  readonly charsPerToken: number;
  text(text: string): number;
  messages(messages: readonly ChatMessage[]): number;
}

export function tokenEstimator(charsPerToken = DEFAULT_CHARS_PER_TOKEN): TokenEstimator {
  if (!(charsPerToken > 0))
    throw new RangeError(`charsPerToken must be positive, got ${charsPerToken}`);
  const text = (t: string) => Math.ceil(t.length / charsPerToken);
  return {
    charsPerToken,
    text,
    messages: (messages) =>
      messages.reduce((sum, m) => sum + text(messageText(m)) + MESSAGE_OVERHEAD_TOKENS, 0),
  };
}

/** What of a message the model reads as tokens: its text and its tool calls' names and arguments. */
function messageText(m: ChatMessage): string {
  if (!m.tool_calls?.length) return m.content;
  return m.content + m.tool_calls.map((c) => c.function.name + c.function.arguments).join('');
}

/**
 * An estimator fitted to a measured prompt: the ratio the model's tokenizer really showed, less 10%
 * so the next estimate errs towards overcounting, clamped to a plausible 1.5–6 characters per token.
 * Never looser than the current estimator: a wrong count that overflows the window costs the run.
 */
export function calibrated(
  current: TokenEstimator,
  messages: readonly ChatMessage[],
  promptTokens: number,
): TokenEstimator {
  const framing = messages.length * MESSAGE_OVERHEAD_TOKENS;
  const chars = messages.reduce((sum, m) => sum + messageText(m).length, 0);
  if (promptTokens <= framing || chars === 0) return current;
  const measured = (chars / (promptTokens - framing)) * 0.9;
  const ratio = Math.min(6, Math.max(1.5, measured));
  return ratio < current.charsPerToken ? tokenEstimator(ratio) : current;
}
