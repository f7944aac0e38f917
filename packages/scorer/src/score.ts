import type { EventRow } from '@localds/benchmarks';
import { compatChecks } from './checks/compat.js';
import { scoreExtras } from './checks/extras.js';
import type { Reexecute } from './checks/counterfactual.js';
import { fullChecks } from './checks/full.js';
import { normaliseOracle, type OracleLike } from './checks/oracle-like.js';
import { computeOracle } from './oracle/index.js';
import { CHECK_TABLE, type CheckOutcome } from './checks/table.js';
import type { CounterfactualRecord } from './run-folder/counterfactual-record.js';
import type { RunFolder } from './run-folder/read.js';
import type { CheckId, CheckResult, Scorecard } from './run-folder/scorecard.js';
import { decodeSnapshotRows } from './run-folder/snapshot.js';

/**
 * 0.2.0: full mode passes a check only on evidence, else marks it not judged (judged points, pct over
 * them); charts_labeled reads only the trace's figure labels; the counterfactual's outcome is stored.
 */
export const SCORER_VERSION = '0.2.0';

export type ScoreMode = 'compat' | 'full';

export interface ScoreOptions {
  oracle: OracleLike;
  /** Default: full when run.json carries a trace, else compat. */
  mode?: ScoreMode;
  /** The rows the run saw; default: run.json's data snapshot. Used by diagnostics and full mode. */
  rows?: readonly EventRow[];
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

async function snapshotRows(
  folder: RunFolder,
  notes: string[],
): Promise<readonly EventRow[] | null> {
  const snapshot = folder.runJson?.ok ? folder.runJson.value.data.snapshot : null;
  if (!snapshot) return null;
  try {
    return await decodeSnapshotRows(snapshot);
  } catch (error) {
    notes.push((error as Error).message);
    return null;
  }
}

function assemble(
  outcomes: Record<CheckId, CheckOutcome>,
): Pick<Scorecard, 'earned' | 'total' | 'judged' | 'pct' | 'checks'> {
  const checks = {} as Record<CheckId, CheckResult>;
  let earned = 0;
  let total = 0;
  let judged = 0;
  for (const { id, label, max } of CHECK_TABLE) {
    const { pass, detail, judged: isJudged = true } = outcomes[id];
    // A check that could not be judged neither earns nor loses: it leaves the judged total.
    const passed = isJudged && pass;
    checks[id] = { label, max, earned: passed ? max : 0, pass: passed, judged: isJudged, detail };
    earned += checks[id].earned;
    total += max;
    if (isJudged) judged += max;
  }
  // The article's round(points / total * 100, 1), over the judged points (all of them in compat mode).
  const pct = judged ? Math.round((earned / judged) * 1000) / 10 : 0;
  return { earned, total, judged, pct, checks };
}

/** Scores a run folder: the article's twelve checks (compat) or the same ids judged on evidence (full). */
export async function scoreRun(folder: RunFolder, options: ScoreOptions): Promise<Scorecard> {
  return (await scoreRunWithCounterfactual(folder, options)).scorecard;
}

/**
 * scoreRun, also returning the counterfactual outcome when a re-execution ran here (full mode): the
 * caller that writes run.json stores it (`counterfactual`), so a place that cannot re-execute judges it.
 */
export async function scoreRunWithCounterfactual(
  folder: RunFolder,
  options: ScoreOptions,
): Promise<{ scorecard: Scorecard; counterfactual: CounterfactualRecord | null }> {
  const oracle = normaliseOracle(options.oracle);
  const run = folder.runJson?.ok ? folder.runJson.value : null;
  const mode = options.mode ?? (run?.trace ? 'full' : 'compat');
  const notes = importNotes(folder);
  const compat = compatChecks(folder, oracle);
  notes.push(...compat.notes);
  const rows = options.rows ?? (await snapshotRows(folder, notes));
  // Computed once here: full mode and the extras both judge against it.
  const rowsOracle = oracle.full ?? (rows ? computeOracle(rows) : null);

  let outcomes = compat.outcomes;
  let counterfactual: CounterfactualRecord | null = null;
  if (mode === 'full') {
    if (!run?.trace) {
      throw new Error(
        'full mode needs a run.json with an execution trace; use --mode compat for this folder',
      );
    }
    const full = await fullChecks({
      folder,
      run,
      trace: run.trace,
      oracle,
      compat,
      rows,
      rowsOracle,
      reexecute: options.reexecute,
    });
    outcomes = full.outcomes;
    counterfactual = full.counterfactual;
    notes.push(...full.notes);
  }
  const trace = run?.trace ?? null;
  const extras = scoreExtras(compat.summary.data, oracle, rowsOracle, rows, trace, notes);
  const { earned, total, judged, pct, checks } = assemble(outcomes);
  const scorecard: Scorecard = {
    earned,
    total,
    judged,
    pct,
    mode,
    scorer_version: SCORER_VERSION,
    checks,
    ...extras,
    notes,
  };
  return { scorecard, counterfactual };
}
