// The agent loop (inspect_ai's generate → append → tools → repeat, with the notebook kernel as the
// only tool). It never throws once started: whatever ends the run, the partial result comes back
// with the reason, so a crash or a Ctrl-C still leaves a recorded run.
//
// Rules a reader of a run should know:
// - A turn's ```python blocks run in order; after a cell that is not ok the rest of that turn is
//   recorded as skipped, not run (a notebook's "run all" stops there too).
// - An unterminated last block is simply run: the kernel parses a whole cell before executing any
//   of it, so one that does not compile fails with a SyntaxError having run nothing, and the model
//   is told its block was cut off. No separate compile step, no state touched.
// - `DONE` ends the run after that turn's code has run. A turn without code ends it when every
//   required output exists; otherwise the model is told which are missing.
// - Reasoning is recorded but never sent back: the next prompt holds answers only.
import { sha256Hex } from '@localds/scorer';
import type { FinishReason, TokenUsage } from '../model/types.js';
import type { CellResult } from '../sandbox/types.js';
import { fitContext, type ConversationEntry, type FitResult } from './context.js';
import { parseTurn, type CodeSegment } from './parse.js';
import { initialMessages } from './prompt.js';
import { DEFAULT_RECORDED_OUTPUT_BYTES, OutputBudget } from './output-budget.js';
import { noCodeMessage, resultsMessage } from './results.js';
import { calibrated, tokenEstimator } from './tokens.js';
import type {
  AgentEvent,
  AgentRunResult,
  BudgetStatus,
  CellRecord,
  EndReason,
  RunAgentOptions,
  TranscriptEntry,
  TurnPart,
} from './types.js';

/** Room kept for the answer when `max_tokens` is unset: a quarter of the window, at most 1024. */
export function answerReserve(contextWindow: number, maxTokens: number | undefined): number {
  return maxTokens ?? Math.min(1024, Math.floor(contextWindow / 4));
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function checkOptions(opts: RunAgentOptions): void {
  if (opts.maxOutputChars !== undefined && !(opts.maxOutputChars >= 100)) {
    throw new RangeError(`maxOutputChars must be at least 100, got ${opts.maxOutputChars}`);
  }
  const b = opts.budgets;
  for (const [name, value] of Object.entries({
    maxTurns: b.maxTurns,
    maxTotalTokens: b.maxTotalTokens,
    wallTimeMs: b.wallTimeMs,
    cellTimeoutMs: b.cellTimeoutMs,
    ...(b.contextWindow === undefined ? {} : { contextWindow: b.contextWindow }),
  })) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`budgets.${name} must be a positive number, got ${value}`);
    }
  }
}

/** End reasons that are failures, and whose fault: reported as an `error` event before `done`. */
const ERROR_SOURCES: Partial<Record<EndReason, 'model' | 'sandbox' | 'budget'>> = {
  model_error: 'model',
  sandbox_error: 'sandbox',
  budget_turns: 'budget',
  budget_tokens: 'budget',
  budget_wall_time: 'budget',
};

class EndOfRun extends Error {
  constructor(
    readonly reason: EndReason,
    readonly detail: string | null,
  ) {
    super(detail ?? reason);
  }
}

export async function runAgent(opts: RunAgentOptions): Promise<AgentRunResult> {
  checkOptions(opts);
  const { model, sandbox, benchmark, sampling, budgets } = opts;
  const now = opts.now ?? Date.now;
  const iso = (ms: number) => new Date(ms).toISOString();
  const maxChars = opts.maxOutputChars ?? 2000;
  const outputBudget = new OutputBudget(
    opts.maxRecordedOutputBytes ?? DEFAULT_RECORDED_OUTPUT_BYTES,
  );
  const emit = (event: AgentEvent) => {
    try {
      opts.onEvent?.(event);
    } catch {
      // A listener's bug (the page's) must not end or lose the run.
    }
  };

  const startedAt = now();
  const window = budgets.contextWindow ?? model.contextWindow;
  const promptBudget =
    window === undefined ? Infinity : window - answerReserve(window, sampling.max_tokens);
  let estimator = tokenEstimator();

  const entries: ConversationEntry[] = [];
  const transcript: TranscriptEntry[] = [];
  const push = (entry: ConversationEntry, extra: Partial<TranscriptEntry> = {}) => {
    entries.push(entry);
    transcript.push({
      kind: entry.kind,
      role: entry.message.role,
      content: entry.message.content,
      reasoning: null,
      startedAt: iso(now()),
      durationMs: null,
      usage: null,
      sent: entry.kind === 'assistant',
      ...extra,
    });
  };
  const [system, task] = initialMessages(benchmark);
  push({ kind: 'system', message: system });
  push({ kind: 'task', message: task });

  const cells: CellRecord[] = [];
  const turns: AgentRunResult['turns'] = [];
  const totals = {
    promptTokens: 0,
    completionTokens: 0,
    tokensEstimated: false,
    modelMs: 0,
    executionMs: 0,
  };
  let turnCount = 0;
  let executionCount = 0;
  let lastFit: FitResult | null = null;

  // One controller for everything in flight: the caller's abort and the wall clock both end it.
  const controller = new AbortController();
  let wallExpired = false;
  const onAbort = () => controller.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();
  const wallTimer = setTimeout(() => {
    wallExpired = true;
    controller.abort(new Error('wall time budget'));
  }, budgets.wallTimeMs);

  const elapsed = () => now() - startedAt;
  const wallTimeOut = () =>
    new EndOfRun('budget_wall_time', `the wall-time budget of ${budgets.wallTimeMs} ms ran out`);
  const budgetStatus = (): BudgetStatus => ({
    turns: turnCount,
    maxTurns: budgets.maxTurns,
    totalTokens: totals.promptTokens + totals.completionTokens,
    maxTotalTokens: budgets.maxTotalTokens,
    elapsedMs: elapsed(),
    wallTimeMs: budgets.wallTimeMs,
    contextTokens: lastFit && window !== undefined ? lastFit.estimatedTokens : null,
    contextWindow: window ?? null,
    elided: lastFit?.ok ? lastFit.elisions.length : 0,
  });
  const stopIfOverBudget = () => {
    if (controller.signal.aborted && !wallExpired)
      throw new EndOfRun('aborted', 'the run was cancelled');
    if (wallExpired || elapsed() >= budgets.wallTimeMs) throw wallTimeOut();
    if (turnCount >= budgets.maxTurns) {
      throw new EndOfRun('budget_turns', `the budget of ${budgets.maxTurns} turns was used`);
    }
    const used = totals.promptTokens + totals.completionTokens;
    if (used >= budgets.maxTotalTokens) {
      throw new EndOfRun(
        'budget_tokens',
        `${used} tokens used of a budget of ${budgets.maxTotalTokens}`,
      );
    }
  };

  /** Streams one model call; returns the turn's text and how it ended. */
  const callModel = async (turn: number, fit: Extract<FitResult, { ok: true }>) => {
    const t0 = now();
    let answer = '';
    let reasoning = '';
    let finishReason: FinishReason = 'stop';
    let usage: TokenUsage | null = null;
    let thrown: string | null = null;
    try {
      for await (const event of model.stream({
        messages: fit.messages,
        sampling,
        signal: controller.signal,
      })) {
        if (event.type === 'token') {
          if (event.channel === 'answer') answer += event.text;
          else reasoning += event.text;
          emit({ type: 'token', turn, channel: event.channel, text: event.text });
        } else {
          finishReason = event.finishReason;
          usage = event.usage ?? null;
          if (event.error) thrown = message(event.error);
        }
        // An adapter that ignores the signal must not hold the run past an abort or the wall clock.
        if (controller.signal.aborted) {
          finishReason = 'abort';
          break;
        }
      }
    } catch (error) {
      thrown = message(error);
      finishReason = controller.signal.aborted ? 'abort' : 'error';
    }
    const durationMs = now() - t0;
    totals.modelMs += durationMs;
    const u = usage as TokenUsage | null;
    totals.promptTokens += u?.promptTokens ?? fit.estimatedTokens;
    totals.completionTokens += u?.completionTokens ?? estimator.text(answer + reasoning);
    if (!u || u.estimated) totals.tokensEstimated = true;
    // Only a real tokenizer's count says anything about this model's characters per token.
    if (u && !u.estimated) estimator = calibrated(estimator, fit.messages, u.promptTokens);
    for (let i = 0; i < transcript.length; i++) transcript[i]!.sent = true;
    push(
      { kind: 'assistant', message: { role: 'assistant', content: answer } },
      {
        reasoning: reasoning || null,
        startedAt: iso(t0),
        durationMs,
        usage: u,
        elisions: fit.elisions,
        estimatedPromptTokens: fit.estimatedTokens,
        finishReason,
      },
    );
    emit({ type: 'turn_finished', turn, finishReason, usage: u, durationMs });
    return { answer, finishReason, thrown };
  };

  /**
   * The results message, its outputs cut shorter (halving, down to 100 characters) when the full
   * one would not fit beside the system prompt, the task and the turn it answers: in a small window
   * a wide table printed once must not end the run.
   */
  const resultsFor = (records: CellRecord[]): string => {
    const fixed = [...entries.slice(0, 2), entries.at(-1)!].map((e) => e.message);
    let chars = maxChars;
    let text = resultsMessage(records, chars);
    while (
      chars > 100 &&
      estimator.messages([...fixed, { role: 'user', content: text }]) > promptBudget
    ) {
      chars = Math.max(100, Math.floor(chars / 2));
      text = resultsMessage(records, chars);
    }
    return text;
  };

  /** Runs one block, or records it as skipped when an earlier cell of its turn failed. */
  const runCell = async (turn: number, block: CodeSegment, skip: boolean): Promise<CellRecord> => {
    const index = cells.length;
    const base = { index, turn, code: block.code, unterminated: !block.terminated };
    const empty = {
      outputs: [],
      durationMs: 0,
      stateLost: false,
      requests: [],
      files: [],
      figures: [],
    };
    if (skip) {
      const skipped: CellRecord = { ...base, ...empty, status: 'skipped', executionCount: null };
      cells.push(skipped);
      return skipped;
    }
    emit({ type: 'cell_started', turn, cell: index, code: block.code });
    const remaining = budgets.wallTimeMs - elapsed();
    let result: CellResult;
    try {
      result = await sandbox.run(block.code, {
        timeoutMs: Math.max(1, Math.min(budgets.cellTimeoutMs, remaining)),
        signal: controller.signal,
      });
    } catch (error) {
      throw new EndOfRun(
        'sandbox_error',
        `the sandbox failed running cell ${index}: ${message(error)}`,
      );
    }
    executionCount += 1;
    const files: CellRecord['files'] = [];
    for (const f of result.filesWritten) {
      let sha256: string | null = null;
      try {
        sha256 = await sha256Hex(await sandbox.readFile(f.name));
      } catch {
        // The file may be gone already (written then deleted); its size is still on record.
      }
      files.push({ name: f.name, size: f.size, sha256 });
      emit({ type: 'file_written', turn, cell: index, name: f.name, size: f.size });
    }
    const record: CellRecord = {
      ...base,
      status: result.status,
      executionCount,
      // The notebook's counter, not the kernel's (which restarts with the kernel).
      outputs: outputBudget
        .record(result.outputs)
        .map((o) =>
          o.output_type === 'execute_result' ? { ...o, execution_count: executionCount } : o,
        ),
      durationMs: result.durationMs,
      stateLost: result.stateLost,
      requests: result.requests,
      files,
      figures: result.figures,
    };
    totals.executionMs += result.durationMs;
    cells.push(record);
    emit({ type: 'cell_finished', turn, cell: record });
    return record;
  };

  // Every way out of the loop below is a thrown EndOfRun (or an unexpected sandbox error).
  let endReason: EndReason;
  let endDetail: string | null;
  try {
    try {
      await sandbox.ready;
    } catch (error) {
      throw new EndOfRun('sandbox_error', `the sandbox did not start: ${message(error)}`);
    }
    for (;;) {
      stopIfOverBudget();
      // Without a known window nothing is elided (an infinite budget always fits).
      const fit = fitContext(entries, promptBudget, estimator);
      lastFit = fit;
      emit({ type: 'budget', status: budgetStatus() });
      if (!fit.ok) throw new EndOfRun('budget_tokens', fit.error);

      const turn = ++turnCount;
      emit({ type: 'turn_started', turn });
      const { answer, finishReason, thrown } = await callModel(turn, fit);
      if (finishReason === 'abort') {
        throw wallExpired ? wallTimeOut() : new EndOfRun('aborted', 'the model stream was aborted');
      }
      if (thrown !== null || finishReason === 'error') {
        throw new EndOfRun('model_error', thrown ?? 'the model reported an error');
      }
      if (finishReason === 'exhausted') {
        throw new EndOfRun('model_exhausted', 'the scripted model has no response left');
      }

      const parsed = parseTurn(answer);
      const parts: TurnPart[] = [];
      const turnRecord = { turn, parts };
      turns.push(turnRecord);
      const records: CellRecord[] = [];
      try {
        for (const segment of parsed.segments) {
          if (segment.kind === 'prose') {
            parts.push({ kind: 'prose', text: segment.text });
            continue;
          }
          // Like a notebook's "run all", a failed cell stops the rest of its turn.
          const record = await runCell(
            turn,
            segment,
            records.some((r) => r.status !== 'ok'),
          );
          records.push(record);
          parts.push({ kind: 'cell', cell: record.index });
        }
      } finally {
        // Also when the sandbox failed midway: the cells that ran are answered on record.
        if (records.length) {
          push({
            kind: 'results',
            message: { role: 'user', content: resultsFor(records) },
          });
        }
      }

      if (parsed.done) throw new EndOfRun('done', null);
      if (records.length === 0) {
        const present = new Set((await sandbox.listFiles()).map((f) => f.name));
        const missing = benchmark.requiredOutputs.map((o) => o.file).filter((f) => !present.has(f));
        if (missing.length === 0) {
          throw new EndOfRun(
            'no_code_outputs_present',
            'a turn without code, and every deliverable exists',
          );
        }
        push({
          kind: 'results',
          message: { role: 'user', content: noCodeMessage(missing, parsed.otherFences) },
        });
      }
    }
  } catch (error) {
    if (error instanceof EndOfRun) {
      endReason = error.reason;
      endDetail = error.detail;
    } else {
      // listFiles or another sandbox call threw outside a cell.
      endReason = 'sandbox_error';
      endDetail = message(error);
    }
  } finally {
    clearTimeout(wallTimer);
    opts.signal?.removeEventListener('abort', onAbort);
  }

  const source = ERROR_SOURCES[endReason];
  if (source) emit({ type: 'error', source, message: endDetail ?? endReason });
  emit({ type: 'budget', status: budgetStatus() });
  emit({ type: 'done', endReason, detail: endDetail });
  const finishedAt = now();
  return {
    model: { id: model.id, kind: model.kind, scripted: model.scripted },
    benchmark: { id: benchmark.id, version: benchmark.version },
    isolation: sandbox.isolation,
    sampling,
    transcript,
    turns,
    cells,
    endReason,
    endDetail,
    totals: {
      turns: turnCount,
      ...totals,
      startedAt: iso(startedAt),
      finishedAt: iso(finishedAt),
      durationMs: finishedAt - startedAt,
    },
  };
}
