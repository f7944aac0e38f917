// The agent loop (inspect_ai's generate → append → tools → repeat, with the notebook kernel as the
// only tool). It never throws once started: whatever ends the run, the partial result comes back
// with the reason, so a crash or a Ctrl-C still leaves a recorded run.
//
// Rules a reader of a run should know, in the order the loop below applies them:
// - A sandbox that does not start ends the run as an environment error before any turn.
// - Before each turn the budget is checked (the caller's abort, wall time, turns, tokens) and the
//   conversation is fitted into the context window; a conversation that cannot fit ends the run.
// - Reasoning is recorded but never sent back: the next prompt holds answers only.
// - A call that ends in an abort, an error or a replay run dry ends the run. A server that never
//   answered is an environment error, not the model's; a bad, slow or broken answer is the
//   model's (see model-failure.ts).
// - A turn's ```python blocks run in order; after a cell that is not ok the rest of that turn is
//   recorded as skipped, not run (a notebook's "run all" stops there too).
// - An unterminated last block is simply run: the kernel parses a whole cell before executing any
//   of it, so one that does not compile fails with a SyntaxError having run nothing, and the model
//   is told its block was cut off. No separate compile step, no state touched.
// - `DONE` ends the run after that turn's code has run. A turn without code ends it when every
//   required output exists; otherwise the model is told which are missing.
import { RunBudget } from './budget.js';
import { callModel, endAfterAnswer } from './call-model.js';
import type { FitResult } from './context.js';
import { EndOfRun, message } from './end-of-run.js';
import type { LoopContext } from './loop-context.js';
import { DEFAULT_RECORDED_OUTPUT_BYTES, OutputBudget } from './output-budget.js';
import { chooseProtocol, type ProtocolChoice } from './choose-protocol.js';
import { initialMessages } from './prompt.js';
import { protocolFor, type CallOutcome, type ProtocolTurn } from './protocol.js';
import { resultsFor, runCell } from './run-cell.js';
import { RunState } from './run-state.js';
import type { AgentEvent, AgentRunResult, RunAgentOptions } from './types.js';

export { answerReserve } from './budget.js';

export async function runAgent(opts: RunAgentOptions): Promise<AgentRunResult> {
  checkOptions(opts);
  const choice = await chooseProtocol(opts.model, opts.protocol ?? 'fenced', opts.signal);
  const run = startRun(opts, choice);
  run.emit({ type: 'protocol', ...run.protocolChoice, protocol: choice.protocol });
  let end: EndOfRun;
  try {
    end = await loop(run);
  } finally {
    run.budget.release();
  }
  return finishRun(run, end);
}

/** Every way out is an EndOfRun; anything else thrown (a sandbox call outside a cell) is the sandbox's. */
async function loop(run: LoopContext): Promise<EndOfRun> {
  try {
    await sandboxStarted(run);
    for (;;) {
      const fit = nextPrompt(run);
      const turn = run.state.beginTurn();
      run.emit({ type: 'turn_started', turn });
      const answer = await callModel(run, turn, fit);
      const stop = endAfterAnswer(run, answer);
      if (stop) throw stop;
      const parsed = run.protocol.parse({ text: answer.answer, toolCalls: answer.toolCalls }, turn);
      run.state.recordToolCalls(parsed.toolCalls);
      const outcomes = await runTurnCode(run, turn, parsed);
      await afterTurn(run, parsed, outcomes);
    }
  } catch (error) {
    return error instanceof EndOfRun ? error : new EndOfRun('sandbox_error', message(error));
  }
}

async function sandboxStarted(run: LoopContext): Promise<void> {
  try {
    await run.sandbox.ready;
  } catch (error) {
    throw new EndOfRun(
      'environment_error',
      `the sandbox did not start: ${message(error)}`,
      'sandbox',
    );
  }
}

/** The budget check before a turn, then the conversation as the next call may send it. */
function nextPrompt(run: LoopContext): Extract<FitResult, { ok: true }> {
  const over = run.budget.exceeded(run.state);
  if (over) throw over;
  const fit = run.budget.fit(run.state);
  run.emit({ type: 'budget', status: run.budget.status(run.state) });
  if (!fit.ok) throw new EndOfRun('budget_tokens', fit.error);
  return fit;
}

/**
 * Runs the turn's code in order, recording its prose, cells and invalid calls; the results go on
 * record (under `tools`, one tool message per call, invalid ones answered with their error).
 */
async function runTurnCode(
  run: LoopContext,
  turn: number,
  parsed: ProtocolTurn,
): Promise<CallOutcome[]> {
  const { parts } = run.state.recordTurn(turn);
  const outcomes: CallOutcome[] = [];
  try {
    for (const segment of parsed.segments) {
      if (segment.kind === 'prose') {
        parts.push({ kind: 'prose', text: segment.text });
      } else if (segment.kind === 'invalid_call') {
        const { call, error } = segment;
        parts.push({
          kind: 'invalid_call',
          callId: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
          error,
        });
        outcomes.push({ invalid: segment });
      } else {
        // Like a notebook's "run all", a failed cell stops the rest of its turn.
        const skip = outcomes.some((o) => 'cell' in o && o.cell.status !== 'ok');
        const record = await runCell(run, turn, segment, skip);
        outcomes.push({ cell: record });
        parts.push({ kind: 'cell', cell: record.index });
      }
    }
  } finally {
    // Also when the sandbox failed midway: the cells that ran are answered on record.
    if (outcomes.length) {
      for (const message of resultsFor(run, outcomes, parsed)) {
        run.state.addPrompt('results', message);
      }
    }
  }
  return outcomes;
}

/** Ends the run on DONE, or on a turn without code once every deliverable exists; else asks for them. */
async function afterTurn(
  run: LoopContext,
  parsed: ProtocolTurn,
  outcomes: CallOutcome[],
): Promise<void> {
  if (parsed.done) throw new EndOfRun('done', null);
  if (outcomes.length > 0) return;
  const present = new Set((await run.sandbox.listFiles()).map((f) => f.name));
  const missing = run.benchmark.requiredOutputs.map((o) => o.file).filter((f) => !present.has(f));
  if (missing.length === 0) {
    throw new EndOfRun(
      'no_code_outputs_present',
      'a turn without code, and every deliverable exists',
    );
  }
  run.state.addPrompt('results', run.protocol.noCode(missing, parsed));
}

function startRun(opts: RunAgentOptions, choice: ProtocolChoice): LoopContext {
  const now = opts.now ?? Date.now;
  const budget = new RunBudget(
    opts.budgets,
    opts.model.contextWindow,
    opts.sampling,
    now,
    opts.signal,
  );
  const state = new RunState(now);
  const protocol = protocolFor(choice.protocol);
  const [system, task] = initialMessages(opts.benchmark, protocol.systemPrompt);
  state.addPrompt('system', system);
  state.addPrompt('task', task);
  return {
    model: opts.model,
    sandbox: opts.sandbox,
    benchmark: opts.benchmark,
    sampling: opts.sampling,
    protocol,
    protocolChoice: { requested: choice.requested, reason: choice.reason },
    state,
    budget,
    outputBudget: new OutputBudget(opts.maxRecordedOutputBytes ?? DEFAULT_RECORDED_OUTPUT_BYTES),
    maxOutputChars: opts.maxOutputChars ?? 2000,
    now,
    emit: (event: AgentEvent) => {
      try {
        opts.onEvent?.(event);
      } catch {
        // A listener's bug (the page's) must not end or lose the run.
      }
    },
  };
}

/** The closing events and the result, from the state the run ended in. */
function finishRun(run: LoopContext, end: EndOfRun): AgentRunResult {
  const { state, budget } = run;
  if (end.source)
    run.emit({ type: 'error', source: end.source, message: end.detail ?? end.reason });
  run.emit({ type: 'budget', status: budget.status(state) });
  run.emit({ type: 'done', endReason: end.reason, detail: end.detail });
  return {
    model: { id: run.model.id, kind: run.model.kind, scripted: run.model.scripted },
    benchmark: { id: run.benchmark.id, version: run.benchmark.version },
    isolation: run.sandbox.isolation,
    sampling: run.sampling,
    protocol: run.protocol.name,
    protocolChoice: run.protocolChoice,
    transcript: state.transcript,
    turns: state.turns,
    cells: state.cells,
    endReason: end.reason,
    endDetail: end.detail,
    totals: state.summary(budget.startedAt, run.now()),
  };
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
