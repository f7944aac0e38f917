// The run's limits in one object: turns, tokens, wall time (a timer that aborts whatever is in
// flight) and the context window (fitting the conversation into it). The loop asks it before each
// turn whether the run may go on; the model and the sandbox get its signal.
import type { SamplingSettings } from '../model/types.js';
import { fitContext, type FitResult } from './context.js';
import { EndOfRun } from './end-of-run.js';
import type { RunState } from './run-state.js';
import type { AgentBudgets, BudgetStatus } from './types.js';

/** Room kept for the answer when `max_tokens` is unset: a quarter of the window, at most 1024. */
export function answerReserve(contextWindow: number, maxTokens: number | undefined): number {
  return maxTokens ?? Math.min(1024, Math.floor(contextWindow / 4));
}

export class RunBudget {
  /** Tokens the model attends to, when known. */
  readonly window: number | undefined;
  /** Tokens a prompt may take: the window less the room kept for the answer. */
  readonly promptBudget: number;
  readonly startedAt: number;
  private readonly controller = new AbortController();
  private wallExpired = false;
  private readonly wallTimer: ReturnType<typeof setTimeout>;
  private readonly onCallerAbort: () => void;

  constructor(
    readonly limits: AgentBudgets,
    modelWindow: number | undefined,
    sampling: SamplingSettings,
    private readonly now: () => number,
    private readonly callerSignal?: AbortSignal,
  ) {
    this.startedAt = now();
    this.window = limits.contextWindow ?? modelWindow;
    this.promptBudget =
      this.window === undefined
        ? Infinity
        : this.window - answerReserve(this.window, sampling.max_tokens);
    // One controller for everything in flight: the caller's abort and the wall clock both end it.
    this.onCallerAbort = () => this.controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    if (callerSignal?.aborted) this.onCallerAbort();
    this.wallTimer = setTimeout(() => {
      this.wallExpired = true;
      this.controller.abort(new Error('wall time budget'));
    }, limits.wallTimeMs);
  }

  /** Aborted by the caller or the wall clock: passed to the model and the sandbox. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  elapsed(): number {
    return this.now() - this.startedAt;
  }

  /** A cell's time limit: the cell timeout, or what is left of the wall time if less. */
  cellTimeoutMs(): number {
    const remaining = this.limits.wallTimeMs - this.elapsed();
    return Math.max(1, Math.min(this.limits.cellTimeoutMs, remaining));
  }

  /** Why the run may not start another turn, or null. */
  exceeded(state: RunState): EndOfRun | null {
    const { maxTurns, maxTotalTokens, wallTimeMs } = this.limits;
    if (this.signal.aborted && !this.wallExpired) {
      return new EndOfRun('aborted', 'the run was cancelled');
    }
    if (this.wallExpired || this.elapsed() >= wallTimeMs) return this.wallTimeOut();
    if (state.turnCount >= maxTurns) {
      return new EndOfRun('budget_turns', `the budget of ${maxTurns} turns was used`);
    }
    const used = state.usedTokens();
    if (used >= maxTotalTokens) {
      return new EndOfRun('budget_tokens', `${used} tokens used of a budget of ${maxTotalTokens}`);
    }
    return null;
  }

  /** The end of a model stream cut by the signal: the wall clock's, or the caller's. */
  aborted(): EndOfRun {
    return this.wallExpired
      ? this.wallTimeOut()
      : new EndOfRun('aborted', 'the model stream was aborted');
  }

  /** The conversation as it can be sent now (nothing is elided without a known window). */
  fit(state: RunState): FitResult {
    const fit = fitContext(state.conversation(), this.promptBudget, state.estimator);
    state.lastFit = fit;
    return fit;
  }

  /** True when a user message `text`, sent beside the system prompt, the task and the last answer, fits. */
  fitsBeside(state: RunState, text: string): boolean {
    const conversation = state.conversation();
    const fixed = [...conversation.slice(0, 2), conversation.at(-1)!].map((e) => e.message);
    return (
      state.estimator.messages([...fixed, { role: 'user', content: text }]) <= this.promptBudget
    );
  }

  status(state: RunState): BudgetStatus {
    const fit = state.lastFit;
    return {
      turns: state.turnCount,
      maxTurns: this.limits.maxTurns,
      totalTokens: state.usedTokens(),
      maxTotalTokens: this.limits.maxTotalTokens,
      elapsedMs: this.elapsed(),
      wallTimeMs: this.limits.wallTimeMs,
      contextTokens: fit && this.window !== undefined ? fit.estimatedTokens : null,
      contextWindow: this.window ?? null,
      elided: fit?.ok ? fit.elisions.length : 0,
    };
  }

  /** Stops the wall clock and lets go of the caller's signal. */
  release(): void {
    clearTimeout(this.wallTimer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  private wallTimeOut(): EndOfRun {
    return new EndOfRun(
      'budget_wall_time',
      `the wall-time budget of ${this.limits.wallTimeMs} ms ran out`,
    );
  }
}
