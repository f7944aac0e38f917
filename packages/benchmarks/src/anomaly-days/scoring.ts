import {
  counterfactualOutcome,
  fullChartsExist,
  fullChartsLabeled,
  fullSummaryValid,
  notJudged,
  readPngSize,
  sectionsNote,
  STORED_NOTE,
  traceDataAccess,
  type BenchmarkScoring,
  type CheckOutcome,
  type ScoringContext,
  type ScoringResult,
} from '@localds/scorer';
import {
  SegmentEventRowSchema,
  sessionSubsample,
  type SegmentEventRow,
} from '../segment-events.js';
import {
  ANOMALY_CHECKS,
  checkAnomalySummary,
  type AnomalyCheckId,
  type GradedOutcome,
} from './checks.js';
import { anomalyDiagnostics } from './diagnostics.js';
import { computeAnomalyOracle, type AnomalyOracle } from './oracle.js';
import { ANOMALY_CHART_FILES, anomalyNotebookSections } from './parts.js';
import { AnomalySummarySchema } from './summary.js';

/**
 * How `anomaly-days` is judged: the summary and anomalies.csv against the oracle of the rows the run
 * saw; in full mode the run's own code, re-executed on a resample (whole sessions kept or dropped), must
 * report the resample's days, bots and figures too. Data access and the chart on the trace.
 */
const COUNTERFACTUAL_SEED = 20260105;
const FIGURE_CHECKS = [
  'flagged_days',
  'anomaly_types',
  'counts_baselines',
  'bots',
  'usable_rows',
  'days_evaluated',
] as const;

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

function filesChart(context: ScoringContext<SegmentEventRow, AnomalyOracle>): CheckOutcome {
  const bytes = context.folder.files.get(ANOMALY_CHART_FILES[0]);
  if (!bytes) return { pass: false, detail: `${ANOMALY_CHART_FILES[0]} missing` };
  const png = readPngSize(bytes);
  if (!png.ok)
    return { pass: false, detail: `${ANOMALY_CHART_FILES[0]} is not a valid PNG (${png.error})` };
  return png.width < 200 || png.height < 150
    ? { pass: false, detail: `${ANOMALY_CHART_FILES[0]} is ${png.width}×${png.height}` }
    : {
        pass: true,
        detail: 'the chart is a PNG in the folder (compat: not traced to the run’s code)',
      };
}

const csvText = (bytes: Uint8Array | undefined): string | null =>
  bytes ? new TextDecoder().decode(bytes) : null;

async function score(
  context: ScoringContext<SegmentEventRow, AnomalyOracle>,
): Promise<ScoringResult> {
  const { folder, run, mode, rows, reexecute } = context;
  const oracle = context.oracle ?? (rows ? computeAnomalyOracle(rows) : null);
  if (!oracle) {
    throw new Error(
      'no oracle: give an oracle file, the rows (--data or --scenario), or a run.json with a data snapshot',
    );
  }
  const notes: string[] = [
    sectionsNote(folder.notebook?.notebook ?? null, anomalyNotebookSections),
  ];
  const summaryJson = folder.summary?.json.ok ? folder.summary.json.value : null;
  const judged = checkAnomalySummary(
    summaryJson,
    csvText(folder.files.get('anomalies.csv')),
    oracle,
  ).outcomes;
  const outcomes: Record<AnomalyCheckId, GradedOutcome> = {
    ...judged,
    data_access: notJudged('compat mode has no execution trace to show the rows read'),
    charts_exist: filesChart(context),
    charts_labeled: notJudged('compat mode has no execution trace to read the figure labels from'),
  };
  let counterfactual = null;
  if (mode === 'full' && run?.trace) {
    const trace = run.trace;
    outcomes.summary_valid = fullSummaryValid(folder, AnomalySummarySchema);
    outcomes.data_access = traceDataAccess(
      trace,
      run.data.table_url,
      rows?.length ?? run.data.snapshot?.row_count ?? null,
    );
    outcomes.charts_exist = await fullChartsExist(folder, trace, ANOMALY_CHART_FILES);
    outcomes.charts_labeled = fullChartsLabeled(run, trace, ANOMALY_CHART_FILES);
    if (rows) {
      const resample = sessionSubsample(rows, COUNTERFACTUAL_SEED);
      const got = await counterfactualOutcome(
        {
          folder,
          run,
          seed: COUNTERFACTUAL_SEED,
          resample,
          reexecute,
          judgedFields: (s) => ({
            anomalies: s.anomalies,
            bot_ids: s.bot_ids,
            raw_stats: record(s.raw_stats),
          }),
          fallback: 'the flagged days, bots and figures',
        },
        notes,
      );
      if (got) {
        counterfactual = got.stored ? null : got.record;
        const mark = got.stored ? STORED_NOTE : '';
        if (!got.record.outcome.ok) {
          notes.push(`counterfactual not judged: ${got.record.outcome.reason}${mark}`);
        } else {
          // The CSV is not kept by the counterfactual: judge the summary's fields only.
          const again = checkAnomalySummary(
            got.record.outcome.summary,
            null,
            computeAnomalyOracle(resample),
          ).outcomes;
          notes.push(
            `counterfactual: re-executed ${got.record.cells} cells on ${resample.length} of ${rows.length} rows (whole sessions, seed ${COUNTERFACTUAL_SEED})${mark}`,
          );
          for (const id of FIGURE_CHECKS) {
            const before = outcomes[id];
            const after = again[id];
            if (before.judged === false || after.judged === false) continue;
            const earnedAfter = after.earned ?? (after.pass ? Number.POSITIVE_INFINITY : 0);
            if (
              (before.pass && !after.pass) ||
              (before.earned !== undefined && earnedAfter < before.earned)
            ) {
              outcomes[id] = {
                pass: false,
                ...(before.earned !== undefined
                  ? { earned: Math.min(before.earned, earnedAfter) }
                  : {}),
                detail: `${before.detail}; on the resample the run's code reported otherwise: ${after.detail}${mark}`,
              };
            }
          }
        }
      }
    } else {
      notes.push('counterfactual not run: no rows (no data snapshot in run.json and none given)');
    }
  }
  const diagnostics = rows ? anomalyDiagnostics({ rows, oracle, summary: summaryJson }) : [];
  return { outcomes, notes, precision: null, diagnostics, counterfactual };
}

function parseOracle(json: unknown): AnomalyOracle {
  const o = record(json);
  if (!['anomalies', 'bot_ids', 'raw_stats', 'days'].every((k) => k in o)) {
    throw new Error(
      'not an anomaly-days oracle: expected anomalies, bot_ids, raw_stats and days (from `localds oracle`)',
    );
  }
  return o as unknown as AnomalyOracle;
}

export const anomalyDaysScoring: BenchmarkScoring<SegmentEventRow, AnomalyOracle> = {
  checks: ANOMALY_CHECKS,
  rowSchema: SegmentEventRowSchema,
  computeOracle: (rows) => computeAnomalyOracle(rows),
  parseOracle,
  score,
};
