// "Call the model": one streamed call with the fitted conversation, its tokens forwarded as they
// come, its answer recorded in the run state whatever happened; then whether the run can go on.
import type { FinishReason, StreamedToolCall, TokenUsage } from '../model/types.js';
import type { FitResult } from './context.js';
import { EndOfRun } from './end-of-run.js';
import type { LoopContext } from './loop-context.js';
import { modelFailure } from './model-failure.js';
import { recordedCalls } from './tool-calls.js';

export interface ModelAnswer {
  answer: string;
  reasoning: string;
  /** The calls the server parsed (the `tools` protocol). */
  toolCalls: StreamedToolCall[];
  finishReason: FinishReason;
  /** The adapter's error (a `done` event's) or what its stream threw. */
  error: unknown;
  failed: boolean;
}

/** Streams one call and records its answer (also a partial or failed one) in the transcript. */
export async function callModel(
  run: LoopContext,
  turn: number,
  fit: Extract<FitResult, { ok: true }>,
): Promise<ModelAnswer> {
  const { budget, state } = run;
  const startedAt = run.now();
  const got: ModelAnswer = {
    answer: '',
    reasoning: '',
    toolCalls: [],
    finishReason: 'stop',
    error: undefined,
    failed: false,
  };
  let usage: TokenUsage | null = null;
  try {
    const stream = run.model.stream({
      messages: fit.messages,
      sampling: run.sampling,
      ...(run.protocol.tools ? { tools: run.protocol.tools } : {}),
      signal: budget.signal,
    });
    for await (const event of stream) {
      if (event.type === 'token') {
        if (event.channel === 'answer') got.answer += event.text;
        else got.reasoning += event.text;
        run.emit({ type: 'token', turn, channel: event.channel, text: event.text });
      } else if (event.type === 'tool_call') {
        run.emit({ ...event, turn });
      } else {
        got.finishReason = event.finishReason;
        got.toolCalls = event.toolCalls ?? [];
        usage = event.usage ?? null;
        if (event.error) [got.error, got.failed] = [event.error, true];
      }
      // An adapter that ignores the signal must not hold the run past an abort or the wall clock.
      if (budget.signal.aborted) {
        got.finishReason = 'abort';
        break;
      }
    }
  } catch (error) {
    [got.error, got.failed] = [error, true];
    got.finishReason = budget.signal.aborted ? 'abort' : 'error';
  }
  const durationMs = run.now() - startedAt;
  state.addAnswer({ ...got, usage, startedAt, durationMs }, fit);
  // On record as they arrived, also when the stream broke mid-arguments (the turn then runs nothing).
  state.recordToolCalls(recordedCalls(got.toolCalls, turn));
  run.emit({ type: 'turn_finished', turn, finishReason: got.finishReason, usage, durationMs });
  return got;
}

/** Why the run ends after this answer (an abort, a failure, a replay run dry), or null. */
export function endAfterAnswer(run: LoopContext, got: ModelAnswer): EndOfRun | null {
  if (got.finishReason === 'abort') return run.budget.aborted();
  if (got.failed || got.finishReason === 'error') {
    // A tool call's pieces are an answer too: the model was generating when the stream broke.
    const received = got.answer !== '' || got.reasoning !== '' || got.toolCalls.length > 0;
    return modelFailure(got.error, received);
  }
  if (got.finishReason === 'exhausted') {
    return new EndOfRun('model_exhausted', 'the scripted model has no response left');
  }
  return null;
}
