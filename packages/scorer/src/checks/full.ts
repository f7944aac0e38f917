import { getBenchmark, type BenchmarkDefinition, type EventRow } from '@localds/benchmarks';
import { computeOracle } from '../oracle/index.js';
import type { RunFolder } from '../run-folder/read.js';
import { codeCells } from '../run-folder/notebook.js';
import type { RunJson } from '../run-folder/run-json.js';
import type { Trace } from '../run-folder/trace.js';
import type { CheckId } from '../run-folder/scorecard.js';
import { bootstrapResample, COUNTERFACTUAL_SEED } from './bootstrap.js';
import { fullChartsExist, traceChartsLabeled } from './charts.js';
import type { CompatReading } from './compat.js';
import {
  judgeRecommendation,
  judgeStatistic,
  readResampledSummary,
  type Reexecute,
  type ReexecuteResult,
  type Verdict,
} from './counterfactual.js';
import { traceDataAccess } from './data-access.js';
import { driftNote } from './drift.js';
import { rawStatsOf } from './numeric.js';
import type { ScoringOracle } from './oracle-like.js';
import type { Oracle } from '../oracle/types.js';
import { formatG, pyNumber } from './py.js';
import { sectionsNote } from './sections.js';
import { fullSummaryValid } from './summary.js';
import type { CheckOutcome } from './table.js';

export interface FullInput {
  folder: RunFolder;
  run: RunJson;
  trace: Trace;
  oracle: ScoringOracle;
  compat: CompatReading;
  rows: readonly EventRow[] | null;
  /** The full oracle of the rows the run saw (given, or computed from the rows), if any. */
  rowsOracle: Oracle | null;
  reexecute: Reexecute | undefined;
}

const SRM_TOLERANCE = 0.05;

/** srm_test in full mode: the compat rule, and srm_p_value near the session- or event-based SRM p. */
function fullSrm(
  compat: CheckOutcome,
  data: Record<string, unknown>,
  oracle: ScoringOracle,
  base: Oracle | null,
): CheckOutcome {
  if (!compat.pass) return compat;
  const reported = pyNumber(rawStatsOf(data).srm_p_value);
  if (reported === null)
    return { pass: false, detail: 'SRM check found, but no srm_p_value reported' };
  const candidates = [
    ['session-based', oracle.raw_stats.srm_p_value],
    ['event-based', base?.srm_p_value_events],
  ] as const;
  for (const [kind, expected] of candidates) {
    if (typeof expected === 'number' && Math.abs(reported - expected) <= SRM_TOLERANCE) {
      return {
        pass: true,
        detail: `SRM check found; srm_p_value ${formatG(reported, 6)} matches the ${kind} ${formatG(expected, 6)}`,
      };
    }
  }
  const known = candidates
    .filter(([, e]) => typeof e === 'number')
    .map(([k, e]) => `${k} ${formatG(e as number, 6)}`);
  return {
    pass: false,
    detail: `srm_p_value ${formatG(reported, 6)} is not within ±0.05 of the oracle's ${known.join(' or ') || '(none)'}`,
  };
}

function combine(compat: CheckOutcome, verdicts: Verdict[]): CheckOutcome {
  return {
    pass: compat.pass && !verdicts.some((v) => v.fails),
    detail: [compat.detail, ...verdicts.map((v) => v.detail)].join('; '),
  };
}

/** Runs the counterfactual; returns the verdicts per check, or null (with a note) when it cannot. */
async function counterfactual(
  input: FullInput,
  notes: string[],
): Promise<Partial<Record<CheckId, Verdict[]>> | null> {
  const { reexecute, rows, rowsOracle: before, folder, run, oracle } = input;
  if (!reexecute) {
    notes.push(
      'counterfactual not run: no re-execution available; p_value, cohens_d, completion_rates and recommended_variant judged on tolerances only',
    );
    return null;
  }
  if (!rows || !before) {
    notes.push('counterfactual not run: no rows (no data snapshot in run.json and none given)');
    return null;
  }
  const notebook = folder.notebook?.notebook;
  if (!notebook) {
    notes.push('counterfactual not run: no readable notebook to re-execute');
    return null;
  }
  const resample = bootstrapResample(rows, COUNTERFACTUAL_SEED);
  let result: ReexecuteResult;
  try {
    result = await reexecute({
      seed: COUNTERFACTUAL_SEED,
      cells: codeCells(notebook),
      rows: resample,
      tableUrl: run.data.table_url,
    });
  } catch (error) {
    result = { summaryText: null, files: new Map(), error: (error as Error).message };
  }
  const summary = readResampledSummary(result);
  if (!summary.ok) {
    notes.push(`counterfactual not judged: ${summary.reason}`);
    return null;
  }
  const after = computeOracle(resample);
  const tol = oracle.tolerance;
  const judge = (field: Parameters<typeof judgeStatistic>[0], t: number) =>
    judgeStatistic(field, t, before, after, summary.data);
  notes.push(
    `counterfactual: re-executed ${codeCells(notebook).length} cells on a pooled session bootstrap (seed ${COUNTERFACTUAL_SEED})`,
  );
  return {
    p_value: [judge('p_value', tol.p_value)],
    cohens_d: [judge('cohens_d', tol.cohens_d)],
    completion_rates: [
      judge('completion_rate_a', tol.rate_pct),
      judge('completion_rate_b', tol.rate_pct),
    ],
    recommended_variant: [judgeRecommendation(before, after, summary.data)],
  };
}

function findBenchmark(id: string, notes: string[]): BenchmarkDefinition | null {
  try {
    return getBenchmark(id);
  } catch (error) {
    notes.push(`${(error as Error).message}; the ab-test-analysis summary schema is used`);
    return null;
  }
}

/** Full mode: the same twelve ids and points, judged on the trace and the counterfactual. */
export async function fullChecks(
  input: FullInput,
): Promise<{ outcomes: Record<CheckId, CheckOutcome>; notes: string[] }> {
  const { folder, run, trace, oracle, compat } = input;
  const notes: string[] = [];
  const drift = driftNote(run, trace);
  if (drift) notes.push(drift);
  const c = compat.outcomes;
  const benchmark = findBenchmark(run.benchmark.id, notes);
  if (benchmark)
    notes.push(sectionsNote(folder.notebook?.notebook ?? null, benchmark.notebook.sections));
  const total = input.rows?.length ?? run.data.snapshot?.row_count ?? null;
  const labeled = traceChartsLabeled(trace);
  if (!labeled) notes.push('charts_labeled: the trace holds no figure labels; compat rule used');
  const verdicts = (await counterfactual(input, notes)) ?? {};
  const withCf = (id: CheckId) => combine(c[id], verdicts[id] ?? []);
  return {
    notes,
    outcomes: {
      summary_valid: fullSummaryValid(folder, benchmark?.summarySchema),
      data_access: traceDataAccess(trace, run.data.table_url, total),
      data_quality: c.data_quality,
      srm_test: fullSrm(c.srm_test, compat.summary.data, oracle, input.rowsOracle),
      hypothesis_tests: c.hypothesis_tests,
      p_value: withCf('p_value'),
      cohens_d: withCf('cohens_d'),
      completion_rates: withCf('completion_rates'),
      charts_exist: await fullChartsExist(folder, trace),
      charts_labeled: labeled ?? c.charts_labeled,
      recommended_variant: withCf('recommended_variant'),
      decision_grounded: c.decision_grounded,
    },
  };
}
