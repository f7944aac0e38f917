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
import { checkLaunchSummary, LAUNCH_CHECKS, type LaunchCheckId } from './checks.js';
import { launchDiagnostics } from './diagnostics.js';
import { computeLaunchOracle, type LaunchOracle } from './oracle.js';
import { LAUNCH_CHART_FILES, launchNotebookSections } from './parts.js';
import { LaunchSummarySchema } from './summary.js';

/**
 * How `launch-segments` is judged. The figure and decision checks compare summary.json with the oracle
 * of the rows the run saw; in full mode they pass only if the run's own code, re-executed on a
 * resample of those rows (whole sessions kept or dropped), reports the resample's figures too, so a
 * summary typed in by hand fails. Data access and charts are judged on the trace (the scorer's rules).
 */

/** The figure and decision checks the counterfactual also judges. */
const FIGURE_CHECKS = [
  'pooled_rates',
  'segment_rates',
  'pooled_test',
  'mh_odds_ratio',
  'mh_ci',
  'cmh_p_value',
  'decision',
] as const;
const COUNTERFACTUAL_SEED = 20260302;

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** Compat mode (no trace): a chart counts when the folder holds a PNG of at least 200×150. */
function filesCharts(context: ScoringContext<SegmentEventRow, LaunchOracle>): CheckOutcome {
  const problems = LAUNCH_CHART_FILES.flatMap((name) => {
    const bytes = context.folder.files.get(name);
    if (!bytes) return [`${name} missing`];
    const png = readPngSize(bytes);
    if (!png.ok) return [`${name} is not a valid PNG (${png.error})`];
    return png.width < 200 || png.height < 150 ? [`${name} is ${png.width}×${png.height}`] : [];
  });
  return problems.length
    ? { pass: false, detail: problems.join('; ') }
    : {
        pass: true,
        detail: `both charts are PNGs in the folder (compat: not traced to the run's code)`,
      };
}

async function score(
  context: ScoringContext<SegmentEventRow, LaunchOracle>,
): Promise<ScoringResult> {
  const { folder, run, mode, rows, reexecute } = context;
  const oracle = context.oracle ?? (rows ? computeLaunchOracle(rows) : null);
  if (!oracle) {
    throw new Error(
      'no oracle: give an oracle file, the rows (--data or --scenario), or a run.json with a data snapshot',
    );
  }
  const notes: string[] = [sectionsNote(folder.notebook?.notebook ?? null, launchNotebookSections)];
  const summaryJson = folder.summary?.json.ok ? folder.summary.json.value : null;
  const judged = checkLaunchSummary(summaryJson, oracle).outcomes;
  const outcomes: Record<LaunchCheckId, CheckOutcome> = {
    ...judged,
    data_access: notJudged('compat mode has no execution trace to show the rows read'),
    charts_exist: filesCharts(context),
    charts_labeled: notJudged('compat mode has no execution trace to read the figure labels from'),
  };
  let counterfactual = null;
  if (mode === 'full' && run?.trace) {
    const trace = run.trace;
    outcomes.summary_valid = fullSummaryValid(folder, LaunchSummarySchema);
    outcomes.data_access = traceDataAccess(
      trace,
      run.data.table_url,
      rows?.length ?? run.data.snapshot?.row_count ?? null,
    );
    outcomes.charts_exist = await fullChartsExist(folder, trace, LAUNCH_CHART_FILES);
    outcomes.charts_labeled = fullChartsLabeled(run, trace, LAUNCH_CHART_FILES);
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
            status: s.status,
            direction: s.direction,
            recommendation: s.recommendation,
            raw_stats: record(s.raw_stats),
          }),
          fallback: 'the figures and the decision',
        },
        notes,
      );
      if (got) {
        counterfactual = got.stored ? null : got.record;
        const mark = got.stored ? STORED_NOTE : '';
        if (!got.record.outcome.ok) {
          notes.push(`counterfactual not judged: ${got.record.outcome.reason}${mark}`);
        } else {
          const again = checkLaunchSummary(
            got.record.outcome.summary,
            computeLaunchOracle(resample),
          ).outcomes;
          notes.push(
            `counterfactual: re-executed ${got.record.cells} cells on ${resample.length} of ${rows.length} rows (whole sessions, seed ${COUNTERFACTUAL_SEED})${mark}`,
          );
          for (const id of FIGURE_CHECKS) {
            if (outcomes[id].pass && !again[id].pass) {
              outcomes[id] = {
                pass: false,
                detail: `${outcomes[id].detail}; on the resample the run's code reported otherwise: ${again[id].detail}${mark}`,
              };
            }
          }
        }
      }
    } else {
      notes.push('counterfactual not run: no rows (no data snapshot in run.json and none given)');
    }
  }
  const diagnostics = rows ? launchDiagnostics({ rows, oracle, summary: summaryJson }) : [];
  return { outcomes, notes, precision: null, diagnostics, counterfactual };
}

/** Accepts an oracle file: the JSON `localds oracle` writes for this benchmark. */
function parseOracle(json: unknown): LaunchOracle {
  const o = record(json);
  if (!['status', 'raw_stats', 'counts', 'strata'].every((k) => k in o)) {
    throw new Error(
      'not a launch-segments oracle: expected status, raw_stats, counts and strata (from `localds oracle`)',
    );
  }
  return o as unknown as LaunchOracle;
}

export const launchSegmentsScoring: BenchmarkScoring<SegmentEventRow, LaunchOracle> = {
  checks: LAUNCH_CHECKS,
  rowSchema: SegmentEventRowSchema,
  computeOracle: (rows) => computeLaunchOracle(rows),
  parseOracle,
  score,
};
