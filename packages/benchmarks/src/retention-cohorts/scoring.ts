/**
 * How `retention-cohorts` is judged, through the scorer's generic evidence rules: the twelve checks of
 * ./checks.ts (100 points), then the precision block and the diagnostics, which do not change the total.
 *
 * Full mode (a run with a trace): data access from the trace with every page read; charts written by
 * the run's code (trace) and labelled (the sandbox's matplotlib record; not judged without matplotlib);
 * the figures and the decision also on the counterfactual (the cells re-executed on a player bootstrap
 * under the null, where typed-in numbers stay put). Compat mode (a bare folder): the files only, so the
 * checks that need a trace are not judged.
 */
import {
  counterfactualOutcome,
  decodeUtf8,
  driftNote,
  fullChartsExist,
  fullChartsLabeled,
  fullSummaryValid,
  notJudged,
  sectionsNote,
  STORED_NOTE,
  traceDataAccess,
  type BenchmarkScoring,
  type CheckOutcome,
  type CounterfactualRecord,
  type ScoringContext,
  type ScoringResult,
  type Verdict,
} from '@localds/scorer';
import {
  cohortTableCheck,
  d1d14RetentionCheck,
  d7EligibleCheck,
  d7IntervalCheck,
  d7PValueCheck,
  d7RetentionCheck,
  decisionCheck,
  readRetentionSummary,
  RETENTION_CHECKS,
  retentionPrecision,
  srmCheck,
  type RetentionCheckId,
} from './checks.js';
import { judgeRetentionCounterfactual } from './counterfactual.js';
import { retentionDiagnostics, RETENTION_PAGE_ROWS } from './diagnostics.js';
import { RetentionRowSchema, type RetentionRow } from './events.js';
import { computeRetentionOracle } from './oracle.js';
import { parseRetentionOracle } from './oracle-json.js';
import { RETENTION_RAW_STAT_FIELDS, type RetentionOracle } from './oracle-types.js';
import { retentionNotebookSections } from './presentation.js';
import { retentionResample } from './resample.js';
import { RetentionSummarySchema } from './summary.js';
import { COHORT_HEATMAP_CHART, COHORT_TABLE_FILE, RETENTION_CURVE_CHART } from './task.js';

/** Fixed so a full-mode score is reproducible; any seed would do. */
export const RETENTION_COUNTERFACTUAL_SEED = 20261206;
const CHARTS = [RETENTION_CURVE_CHART, COHORT_HEATMAP_CHART] as const;

function combine(outcome: CheckOutcome, verdicts: readonly Verdict[] = []): CheckOutcome {
  return {
    pass: outcome.pass && !verdicts.some((v) => v.fails),
    detail: [outcome.detail, ...verdicts.map((v) => v.detail)].join('; '),
  };
}

/** The fields of a re-executed summary.json the counterfactual judges (all a stored outcome keeps). */
function judgedFields(summary: Record<string, unknown>): Record<string, unknown> {
  const raw = (summary.raw_stats ?? {}) as Record<string, unknown>;
  return {
    status: summary.status,
    recommended_variant: summary.recommended_variant,
    raw_stats: Object.fromEntries(
      RETENTION_RAW_STAT_FIELDS.filter((f) => Object.hasOwn(raw, f)).map((f) => [f, raw[f]]),
    ),
  };
}

async function counterfactual(
  context: ScoringContext<RetentionRow, RetentionOracle>,
  before: RetentionOracle | null,
  notes: string[],
): Promise<{
  verdicts: Partial<Record<RetentionCheckId, Verdict[]>>;
  record: CounterfactualRecord | null;
}> {
  const { rows, run } = context;
  if (!rows || !before || !run) {
    notes.push('counterfactual not run: no rows (no data snapshot in run.json and none given)');
    return { verdicts: {}, record: null };
  }
  const resample = retentionResample(rows, RETENTION_COUNTERFACTUAL_SEED);
  const got = await counterfactualOutcome(
    {
      folder: context.folder,
      run,
      seed: RETENTION_COUNTERFACTUAL_SEED,
      resample,
      reexecute: context.reexecute,
      judgedFields,
      fallback: 'the retention figures, the test and the decision',
    },
    notes,
  );
  if (!got) return { verdicts: {}, record: null };
  const { record, stored } = got;
  const fresh = stored ? null : record;
  if (!record.outcome.ok) {
    notes.push(`counterfactual not judged: ${record.outcome.reason}${stored ? STORED_NOTE : ''}`);
    return { verdicts: {}, record: fresh };
  }
  notes.push(
    `counterfactual: re-executed ${record.cells} cells on a player bootstrap under the null (seed ${record.seed})${stored ? STORED_NOTE : ''}`,
  );
  const verdicts = judgeRetentionCounterfactual(
    before,
    computeRetentionOracle(resample),
    record.outcome.summary,
  );
  if (stored) {
    for (const list of Object.values(verdicts)) for (const v of list) v.detail += STORED_NOTE;
  }
  return { verdicts, record: fresh };
}

/** Rows the run's first request(s) returned, from the trace: what a run that never paginated saw. */
function pageSizes(context: ScoringContext<RetentionRow, RetentionOracle>): number[] {
  const sizes = (context.run?.trace?.requests ?? [])
    .map((r) => r.rows_returned)
    .filter((n): n is number => typeof n === 'number' && n > 0);
  return [...new Set([RETENTION_PAGE_ROWS, ...sizes.slice(0, 2)])];
}

async function score(
  context: ScoringContext<RetentionRow, RetentionOracle>,
): Promise<ScoringResult> {
  const { folder, run, mode, rows } = context;
  const oracle = context.oracle;
  if (!oracle) {
    throw new Error(
      'no oracle: give an oracle file, the rows (--data or --scenario), or a run.json with a data snapshot',
    );
  }
  const notes: string[] = [];
  const summaryText = folder.files.get('summary.json');
  const reading = readRetentionSummary(summaryText ? decodeUtf8(summaryText) : null);
  const cohortBytes = folder.files.get(COHORT_TABLE_FILE);
  const cohortText = cohortBytes ? decodeUtf8(cohortBytes) : null;
  // Diagnostics and the counterfactual need the rows' full oracle; the checks judge against the given one.
  const rowsOracle = rows ? computeRetentionOracle(rows) : null;

  const files: Record<RetentionCheckId, CheckOutcome> = {
    summary_valid: reading.outcome,
    data_access: notJudged('compat mode has no trace of the requests'),
    d7_eligible: d7EligibleCheck(reading.raw, oracle),
    d7_retention: d7RetentionCheck(reading.raw, oracle),
    d1_d14_retention: d1d14RetentionCheck(reading.raw, oracle),
    d7_p_value: d7PValueCheck(reading.raw, oracle),
    d7_interval: d7IntervalCheck(reading.raw, oracle),
    srm: srmCheck(reading.raw, oracle),
    cohort_table: cohortTableCheck(cohortText, oracle),
    charts_written: notJudged('compat mode has no trace of the files the code wrote'),
    charts_labeled: notJudged('compat mode has no record of the figures'),
    decision: decisionCheck(reading.data, oracle),
  };
  let outcomes = files;
  let record: CounterfactualRecord | null = null;
  const trace = run?.trace;
  if (mode === 'full' && run && trace) {
    const drift = driftNote(run, trace);
    if (drift) notes.push(drift);
    notes.push(sectionsNote(folder.notebook?.notebook ?? null, retentionNotebookSections));
    const cf = await counterfactual(context, rowsOracle, notes);
    record = cf.record;
    const v = cf.verdicts;
    const total = rows?.length ?? run.data.snapshot?.row_count ?? null;
    outcomes = {
      ...files,
      summary_valid: fullSummaryValid(folder, RetentionSummarySchema),
      data_access: traceDataAccess(trace, run.data.table_url, total),
      d7_retention: combine(files.d7_retention, v.d7_retention),
      d1_d14_retention: combine(files.d1_d14_retention, v.d1_d14_retention),
      d7_p_value: combine(files.d7_p_value, v.d7_p_value),
      d7_interval: combine(files.d7_interval, v.d7_interval),
      charts_written: await fullChartsExist(folder, trace, CHARTS),
      charts_labeled: fullChartsLabeled(run, trace, CHARTS),
      decision: combine(files.decision, v.decision),
    };
  } else if (mode === 'full') {
    notes.push('full mode needs run.json with a trace; judged on the files only');
  }
  const diagnostics =
    rows && rowsOracle
      ? retentionDiagnostics(reading.raw, rows, rowsOracle, { pageSizes: pageSizes(context) })
      : [];
  return {
    outcomes,
    notes,
    precision: retentionPrecision(reading.raw, oracle),
    diagnostics: diagnostics.map(({ id, field, message, reported, expected, wrong }) => ({
      id,
      field,
      message,
      reported,
      expected,
      wrong,
    })),
    counterfactual: record,
  };
}

export const retentionScoring: BenchmarkScoring<RetentionRow, RetentionOracle> = {
  checks: RETENTION_CHECKS,
  rowSchema: RetentionRowSchema,
  computeOracle: (rows) => computeRetentionOracle(rows),
  parseOracle: parseRetentionOracle,
  score,
};
