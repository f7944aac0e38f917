import type { BenchmarkScoring, ScoringContext, ScoringResult } from '@localds/scorer';
import { EventRowSchema, type EventRow } from '../events.js';
import { computeOracle } from '../oracle/index.js';
import { CHECK_TABLE } from './checks-table.js';
import { compatChecks } from './compat.js';
import { scoreExtras } from './extras.js';
import { fullChecks } from './full.js';
import { normaliseOracle, parseOracleJson, type OracleLike } from './oracle-like.js';

/**
 * How `ab-test-analysis` is judged: the article's twelve checks in compat mode (its scorer, re-implemented
 * with parity), the same ids and points judged on evidence in full mode, then the precision block and the
 * diagnostics, which do not change the total. The oracle may be ours or the article's oracle JSON.
 */
async function score(context: ScoringContext<EventRow, OracleLike>): Promise<ScoringResult> {
  const { folder, run, mode, rows, reexecute } = context;
  if (!context.oracle) {
    throw new Error(
      'no oracle: give an oracle file, the rows (--data or --scenario), or a run.json with a data snapshot',
    );
  }
  const oracle = normaliseOracle(context.oracle);
  const notes: string[] = [];
  const compat = compatChecks(folder, oracle);
  notes.push(...compat.notes);
  // Computed once here: full mode and the extras both judge against it.
  const rowsOracle = oracle.full ?? (rows ? computeOracle(rows) : null);
  let outcomes = compat.outcomes;
  let counterfactual = null;
  if (mode === 'full' && run?.trace) {
    const full = await fullChecks({
      folder,
      run,
      trace: run.trace,
      oracle,
      compat,
      rows,
      rowsOracle,
      reexecute,
    });
    outcomes = full.outcomes;
    counterfactual = full.counterfactual;
    notes.push(...full.notes);
  }
  const extras = scoreExtras(
    compat.summary.data,
    oracle,
    rowsOracle,
    rows,
    run?.trace ?? null,
    notes,
  );
  return { outcomes, notes, counterfactual, ...extras };
}

export const abTestScoring: BenchmarkScoring<EventRow, OracleLike> = {
  checks: CHECK_TABLE,
  rowSchema: EventRowSchema,
  computeOracle,
  parseOracle: parseOracleJson,
  score,
};
