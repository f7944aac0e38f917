import type { BenchmarkScoring, DataRow, ScoreMode, ScoringResult } from './benchmark-scoring.js';
import type { Reexecute } from './checks/counterfactual.js';
import { notJudged, type CheckOutcome } from './checks/table.js';
import type { CounterfactualRecord } from './run-folder/counterfactual-record.js';
import type { RunFolder } from './run-folder/read.js';
import { isEnvironmentFailure, type RunJson } from './run-folder/run-json.js';
import type { CheckResult, Scorecard } from './run-folder/scorecard.js';
import { decodeSnapshotRows } from './run-folder/snapshot.js';

/**
 * 0.2.0: full mode passes a check only on evidence, else marks it not judged (judged points, pct over
 * them); charts_labeled reads only the trace's figure labels; the counterfactual's outcome is stored.
 */
export const SCORER_VERSION = '0.2.0';

export type { ScoreMode } from './benchmark-scoring.js';

export interface ScoreOptions<Row extends DataRow, Oracle> {
  /** The benchmark's scoring (its checks, oracle and rules). */
  benchmark: BenchmarkScoring<Row, Oracle>;
  /** Default: the oracle computed from the rows. An oracle file's JSON goes through `parseOracle` first. */
  oracle?: Oracle | null;
  /** Default: full when run.json carries a trace, else compat. */
  mode?: ScoreMode;
  /** The rows the run saw; default: run.json's data snapshot. Used by diagnostics and full mode. */
  rows?: readonly Row[];
  /** Re-runs the recorded cells on other rows (full mode's counterfactual); supplied by the agent. */
  reexecute?: Reexecute;
}

function importNotes(folder: RunFolder): string[] {
  const notes = folder.dropped.map((p) => `${p} dropped on import (it holds a key)`);
  for (const { path, reason } of folder.refused) notes.push(`${path} refused: ${reason}`);
  if (folder.redacted.length)
    notes.push(`keys redacted on import in: ${folder.redacted.join(', ')}`);
  if (folder.runJson && !folder.runJson.ok) notes.push(folder.runJson.error);
  return notes;
}

async function snapshotRows<Row extends DataRow>(
  folder: RunFolder,
  benchmark: BenchmarkScoring<Row, unknown>,
  notes: string[],
): Promise<readonly Row[] | null> {
  const snapshot = folder.runJson?.ok ? folder.runJson.value.data.snapshot : null;
  if (!snapshot) return null;
  try {
    return await decodeSnapshotRows(snapshot, benchmark.rowSchema);
  } catch (error) {
    notes.push((error as Error).message);
    return null;
  }
}

/** The benchmark's checks in its table's order, with their points; a check it did not judge fails loudly. */
function assemble(
  benchmark: BenchmarkScoring<DataRow, unknown>,
  outcomes: Record<string, CheckOutcome>,
): Pick<Scorecard, 'earned' | 'total' | 'judged' | 'pct' | 'checks'> {
  const checks: Record<string, CheckResult> = {};
  let earned = 0;
  let total = 0;
  let judged = 0;
  for (const { id, label, max } of benchmark.checks) {
    const outcome = outcomes[id];
    if (!outcome) throw new Error(`the benchmark's scoring gave no outcome for check "${id}"`);
    const { pass, detail, judged: isJudged = true } = outcome;
    // A check that could not be judged neither earns nor loses: it leaves the judged total.
    const passed = isJudged && pass;
    const points = outcome.earned === undefined ? (passed ? max : 0) : Math.round(outcome.earned);
    if (isJudged && (points < 0 || points > max)) {
      throw new Error(`check "${id}" earned ${points} of ${max} points`);
    }
    checks[id] = {
      label,
      max,
      earned: isJudged ? points : 0,
      pass: passed,
      judged: isJudged,
      detail,
    };
    earned += checks[id].earned;
    total += max;
    if (isJudged) judged += max;
  }
  // The article's round(points / total * 100, 1), over the judged points (all of them in compat mode).
  const pct = judged ? Math.round((earned / judged) * 1000) / 10 : 0;
  return { earned, total, judged, pct, checks };
}

/** A run the environment or harness ended is recorded, never scored: no check can be judged on it. */
function notScored(
  benchmark: BenchmarkScoring<DataRow, unknown>,
  run: Pick<RunJson, 'end_reason' | 'end_detail'>,
): ScoringResult {
  const reason = `the run ended on ${run.end_reason}${run.end_detail ? ` (${run.end_detail})` : ''}, a failure of the environment or harness, not the model's work`;
  return {
    outcomes: Object.fromEntries(benchmark.checks.map(({ id }) => [id, notJudged(reason)])),
    notes: [`not scored: ${reason}`],
    precision: null,
    diagnostics: [],
    counterfactual: null,
  };
}

/** The benchmark's own judgement, against the rows the run saw and their oracle. */
async function scoreWithBenchmark<Row extends DataRow, Oracle>(
  folder: RunFolder,
  run: RunJson | null,
  mode: ScoreMode,
  options: ScoreOptions<Row, Oracle>,
  notes: string[],
): Promise<ScoringResult> {
  const { benchmark } = options;
  const rows = options.rows ?? (await snapshotRows(folder, benchmark, notes));
  const oracle = options.oracle ?? (rows ? benchmark.computeOracle(rows) : null);
  return benchmark.score({ folder, run, mode, oracle, rows, reexecute: options.reexecute });
}

/** Scores a run folder with its benchmark's checks, in compat mode or judged on evidence (full). */
export async function scoreRun<Row extends DataRow, Oracle>(
  folder: RunFolder,
  options: ScoreOptions<Row, Oracle>,
): Promise<Scorecard> {
  return (await scoreRunWithCounterfactual(folder, options)).scorecard;
}

/**
 * scoreRun, also returning the counterfactual outcome when a re-execution ran here (full mode): the
 * caller that writes run.json stores it (`counterfactual`), so a place that cannot re-execute judges it.
 */
export async function scoreRunWithCounterfactual<Row extends DataRow, Oracle>(
  folder: RunFolder,
  options: ScoreOptions<Row, Oracle>,
): Promise<{ scorecard: Scorecard; counterfactual: CounterfactualRecord | null }> {
  const { benchmark } = options;
  const run = folder.runJson?.ok ? folder.runJson.value : null;
  const mode = options.mode ?? (run?.trace ? 'full' : 'compat');
  if (mode === 'full' && !run?.trace) {
    throw new Error(
      'full mode needs a run.json with an execution trace; use --mode compat for this folder',
    );
  }
  const notes = importNotes(folder);
  const result =
    run && isEnvironmentFailure(run.end_reason)
      ? notScored(benchmark, run)
      : await scoreWithBenchmark(folder, run, mode, options, notes);
  notes.push(...result.notes);
  const scorecard: Scorecard = {
    ...assemble(benchmark as BenchmarkScoring<DataRow, unknown>, result.outcomes),
    mode,
    scorer_version: SCORER_VERSION,
    precision: result.precision,
    diagnostics: result.diagnostics,
    notes,
  };
  return { scorecard, counterfactual: result.counterfactual };
}
