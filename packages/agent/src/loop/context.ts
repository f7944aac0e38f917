// Fits the conversation into the model's window before each call. The system prompt and the task
// are never touched; neither is the latest exchange (the model's last turn and its results). Older
// material goes in order of least use to the model: execution outputs (oldest first), then the code
// bodies of older turns (the prose, the model's own account of what it did, stays), then whole
// older exchanges.
import type { ChatMessage, ToolCall } from '../model/types.js';
import { CODE_ELIDED, elideCode } from './parse.js';
import { entryMessage } from './run-state.js';
import type { TokenEstimator } from './tokens.js';

export const OUTPUT_ELIDED = '[output elided to fit the context window]';

export type EntryKind = 'system' | 'task' | 'assistant' | 'results';

export interface ConversationEntry {
  kind: EntryKind;
  message: ChatMessage;
}

/** One change made to the conversation for one model call; `index` is into the full conversation. */
export interface Elision {
  index: number;
  part: 'output' | 'code' | 'dropped';
}

export type FitResult =
  | { ok: true; messages: ChatMessage[]; elisions: Elision[]; estimatedTokens: number }
  | { ok: false; error: string; estimatedTokens: number };

/** The messages a call sent, rebuilt from the full conversation and that call's elisions. */
export function applyElisions(
  entries: readonly ConversationEntry[],
  elisions: readonly Elision[],
): ChatMessage[] {
  const messages = entries.map((e) => ({ ...e.message }));
  const dropped = new Set<number>();
  for (const { index, part } of elisions) {
    const m = messages[index]!;
    if (part === 'dropped') dropped.add(index);
    else if (part === 'output') m.content = OUTPUT_ELIDED;
    else {
      m.content = elideCode(m.content);
      if (m.tool_calls) m.tool_calls = m.tool_calls.map(elideCallCode);
    }
  }
  return messages.filter((_, i) => !dropped.has(i));
}

const ELIDED_ARGUMENTS = JSON.stringify({ code: CODE_ELIDED });

/** A run_python call with its code replaced by the marker. */
function elideCallCode(call: ToolCall): ToolCall {
  return { ...call, function: { ...call.function, arguments: ELIDED_ARGUMENTS } };
}

/** Characters the code elision would save on a message (its blocks and its calls' arguments). */
function codeChars(m: ChatMessage): number {
  const calls = (m.tool_calls ?? []).reduce(
    (n, c) => n + c.function.arguments.length - ELIDED_ARGUMENTS.length,
    0,
  );
  return m.content.length - elideCode(m.content).length + calls;
}

/**
 * The conversation as it can be sent within `promptBudget` tokens (the window less the room kept
 * for the answer), or why it cannot.
 */
export function fitContext(
  entries: readonly ConversationEntry[],
  promptBudget: number,
  estimator: TokenEstimator,
): FitResult {
  const elisions: Elision[] = [];
  const measure = () => estimator.messages(applyElisions(entries, elisions));
  const fits = () => measure() <= promptBudget;
  const done = (): FitResult => ({
    ok: true,
    messages: applyElisions(entries, elisions),
    elisions: [...elisions],
    estimatedTokens: measure(),
  });
  if (fits()) return done();

  // Everything after the task and before the latest exchange (the last assistant turn and the
  // results that answered it) may be shortened.
  const lastAssistant = entries.findLastIndex((e) => e.kind === 'assistant');
  const older = entries
    .map((e, index) => ({ ...e, index }))
    .filter((e) => e.index >= 2 && e.index < (lastAssistant < 0 ? entries.length : lastAssistant));

  for (const e of older) {
    if (e.kind !== 'results' || e.message.content === OUTPUT_ELIDED) continue;
    elisions.push({ index: e.index, part: 'output' });
    if (fits()) return done();
  }
  for (const e of older) {
    if (e.kind !== 'assistant') continue;
    // A marker longer than the code it replaces would only cost tokens.
    if (codeChars(e.message) <= 0) continue;
    elisions.push({ index: e.index, part: 'code' });
    if (fits()) return done();
  }
  // Drop whole exchanges, oldest first, so the roles still alternate user/assistant (and no tool
  // result outlives the call it answers).
  for (const e of older) {
    if (e.kind !== 'assistant') continue;
    elisions.push({ index: e.index, part: 'dropped' });
    for (let i = e.index + 1; entries[i]?.kind === 'results'; i++) {
      elisions.push({ index: i, part: 'dropped' });
    }
    if (fits()) return done();
  }
  const estimatedTokens = measure();
  return {
    ok: false,
    estimatedTokens,
    error:
      `the context window cannot hold the system prompt, the task and the latest exchange: ` +
      `about ${estimatedTokens} tokens against a prompt budget of ${promptBudget}`,
  };
}

/**
 * Exactly what the model call behind the transcript's assistant entry at `index` received: the
 * transcript before it with that call's elisions applied.
 */
export function messagesSentFor(
  transcript: readonly (Pick<ConversationEntry, 'kind'> &
    Parameters<typeof entryMessage>[0] & { elisions?: Elision[] })[],
  index: number,
): ChatMessage[] {
  const entry = transcript[index];
  if (entry?.kind !== 'assistant') {
    throw new RangeError(`transcript entry ${index} is not an assistant turn`);
  }
  const before = transcript
    .slice(0, index)
    .map((t) => ({ kind: t.kind, message: entryMessage(t) }));
  return applyElisions(before, entry.elisions ?? []);
}
