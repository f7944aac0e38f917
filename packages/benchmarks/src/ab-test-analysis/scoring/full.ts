import {
  counterfactualOutcome,
  driftNote,
  formatG,
  fullChartsExist,
  fullChartsLabeled,
  fullSummaryValid,
  pyNumber,
  sectionsNote,
  STORED_NOTE,
  traceDataAccess,
  type CheckOutcome,
  type CounterfactualRecord,
  type RunFolder,
  type RunJson,
  type Trace,
  type Reexecute,
  type Verdict,
} from '@localds/scorer';
import type { EventRow } from '../events.js';
import { computeOracle } from '../oracle/index.js';
import type { Oracle } from '../oracle/types.js';
import { abTestNotebookSections } from '../sections.js';
import { SummarySchema } from '../summary.js';
import { CHART_FILES, type CheckId } from './checks-table.js';
import type { CompatReading } from './compat.js';
import { judgeRecommendation, judgeStatistic } from './judge.js';
import { rawStatsOf } from './numeric.js';
import type { ScoringOracle } from './oracle-like.js';
import { ranEvidence } from './ran-evidence.js';
import { bootstrapResample, COUNTERFACTUAL_SEED } from './resample.js';

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

/** The fields of a re-executed summary.json the counterfactual judges: all a stored outcome keeps. */
function judgedFields(summary: Record<string, unknown>): Record<string, unknown> {
  const raw = rawStatsOf(summary);
  const pick = (o: Record<string, unknown>, keys: string[]) =>
    Object.fromEntries(keys.filter((k) => Object.hasOwn(o, k)).map((k) => [k, o[k]]));
  return {
    ...pick(summary, ['recommended_variant']),
    raw_stats: pick(raw, ['p_value', 'cohens_d', 'completion_rate_a', 'completion_rate_b']),
  };
}

/**
 * Runs the counterfactual (or reads its stored outcome); returns the verdicts per check, or null (with a
 * note) when it cannot, and the outcome to store in run.json when a re-execution ran.
 */
async function counterfactual(
  input: FullInput,
  notes: string[],
): Promise<{
  verdicts: Partial<Record<CheckId, Verdict[]>> | null;
  record: CounterfactualRecord | null;
}> {
  const { rows, rowsOracle: before, oracle } = input;
  if (!rows || !before) {
    notes.push('counterfactual not run: no rows (no data snapshot in run.json and none given)');
    return { verdicts: null, record: null };
  }
  const resample = bootstrapResample(rows, COUNTERFACTUAL_SEED);
  const got = await counterfactualOutcome(
    {
      folder: input.folder,
      run: input.run,
      seed: COUNTERFACTUAL_SEED,
      resample,
      reexecute: input.reexecute,
      judgedFields,
      fallback: 'p_value, cohens_d, completion_rates and recommended_variant',
    },
    notes,
  );
  if (!got) return { verdicts: null, record: null };
  const { record, stored } = got;
  const fresh = stored ? null : record;
  if (!record.outcome.ok) {
    notes.push(`counterfactual not judged: ${record.outcome.reason}${stored ? STORED_NOTE : ''}`);
    return { verdicts: null, record: fresh };
  }
  const data = record.outcome.summary;
  const after = computeOracle(resample);
  const tol = oracle.tolerance;
  const mark = (v: Verdict): Verdict => (stored ? { ...v, detail: v.detail + STORED_NOTE } : v);
  const judge = (field: Parameters<typeof judgeStatistic>[0], t: number) =>
    mark(judgeStatistic(field, t, before, after, data));
  notes.push(
    `counterfactual: re-executed ${record.cells} cells on a pooled session bootstrap (seed ${record.seed})${stored ? STORED_NOTE : ''}`,
  );
  return {
    record: fresh,
    verdicts: {
      p_value: [judge('p_value', tol.p_value)],
      cohens_d: [judge('cohens_d', tol.cohens_d)],
      completion_rates: [
        judge('completion_rate_a', tol.rate_pct),
        judge('completion_rate_b', tol.rate_pct),
      ],
      recommended_variant: [mark(judgeRecommendation(before, after, data))],
    },
  };
}

/** Full mode: the same twelve ids and points, judged on the trace and the counterfactual. */
export async function fullChecks(input: FullInput): Promise<{
  outcomes: Record<CheckId, CheckOutcome>;
  notes: string[];
  /** The counterfactual outcome of a re-execution run here, for run.json; null otherwise. */
  counterfactual: CounterfactualRecord | null;
}> {
  const { folder, run, trace, oracle, compat } = input;
  const notes: string[] = [];
  const drift = driftNote(run, trace);
  if (drift) notes.push(drift);
  const c = compat.outcomes;
  notes.push(sectionsNote(folder.notebook?.notebook ?? null, abTestNotebookSections));
  const total = input.rows?.length ?? run.data.snapshot?.row_count ?? null;
  const cf = await counterfactual(input, notes);
  const verdicts = cf.verdicts ?? {};
  const withCf = (id: CheckId) => combine(c[id], verdicts[id] ?? []);
  // The code evidence counts only in cells the trace says ran without error: a test that crashed
  // was not performed.
  const ran = ranEvidence(folder, trace, compat);
  return {
    notes,
    counterfactual: cf.record,
    outcomes: {
      summary_valid: fullSummaryValid(folder, SummarySchema),
      data_access: traceDataAccess(trace, run.data.table_url, total),
      data_quality: ran.data_quality,
      srm_test: fullSrm(ran.srm_test, compat.summary.data, oracle, input.rowsOracle),
      hypothesis_tests: ran.hypothesis_tests,
      p_value: withCf('p_value'),
      cohens_d: withCf('cohens_d'),
      completion_rates: withCf('completion_rates'),
      charts_exist: await fullChartsExist(folder, trace, CHART_FILES),
      charts_labeled: fullChartsLabeled(run, trace, CHART_FILES),
      recommended_variant: withCf('recommended_variant'),
      decision_grounded: ran.decision_grounded,
    },
  };
}
