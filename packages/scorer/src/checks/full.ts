import { getBenchmark, type BenchmarkDefinition, type EventRow } from '@localds/benchmarks';
import { computeOracle } from '../oracle/index.js';
import type { RunFolder } from '../run-folder/read.js';
import { codeCells } from '../run-folder/notebook.js';
import type { RunJson } from '../run-folder/run-json.js';
import type { Trace } from '../run-folder/trace.js';
import type { CounterfactualRecord } from '../run-folder/counterfactual-record.js';
import { sha256Hex } from '../run-folder/snapshot.js';
import type { CheckId } from '../run-folder/scorecard.js';
import { bootstrapResample, COUNTERFACTUAL_SEED } from './bootstrap.js';
import { fullChartsExist, fullChartsLabeled } from './charts.js';
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
import { ranEvidence } from './ran-evidence.js';
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
 * The resample's identity: sha256 of its JSON with keys in sorted order, so rows generated in memory
 * and the same rows read back from a snapshot (whose key order may differ) hash alike.
 */
async function resampleHash(resample: readonly EventRow[]): Promise<string> {
  const keys = [...new Set(resample.flatMap((r) => Object.keys(r)))].sort();
  return sha256Hex(new TextEncoder().encode(JSON.stringify(resample, keys)));
}

const STORED = ' (counterfactual outcome stored in run.json, not re-executed here)';

/** What the re-executed code reported: from a re-execution now, or from run.json's stored outcome. */
async function resampledOutcome(
  input: FullInput,
  resample: EventRow[],
  notes: string[],
): Promise<{ record: CounterfactualRecord; stored: boolean } | null> {
  const { reexecute, folder, run } = input;
  const resampleSha = await resampleHash(resample);
  if (!reexecute) {
    const kept = run.counterfactual;
    if (!kept) {
      notes.push(
        'counterfactual not run: no re-execution available; p_value, cohens_d, completion_rates and recommended_variant judged on tolerances only',
      );
      return null;
    }
    if (kept.seed !== COUNTERFACTUAL_SEED || kept.resample_sha256 !== resampleSha) {
      notes.push(
        'counterfactual not run: the outcome stored in run.json is for another resample (seed or rows differ) and no re-execution is available; judged on tolerances only',
      );
      return null;
    }
    return { record: kept, stored: true };
  }
  const notebook = folder.notebook?.notebook;
  if (!notebook) {
    notes.push('counterfactual not run: no readable notebook to re-execute');
    return null;
  }
  const cells = codeCells(notebook);
  let result: ReexecuteResult;
  try {
    result = await reexecute({
      seed: COUNTERFACTUAL_SEED,
      cells,
      rows: resample,
      tableUrl: run.data.table_url,
    });
  } catch (error) {
    result = { summaryText: null, files: new Map(), error: (error as Error).message };
  }
  const summary = readResampledSummary(result);
  const record: CounterfactualRecord = {
    seed: COUNTERFACTUAL_SEED,
    resample_sha256: resampleSha,
    cells: cells.length,
    outcome: summary.ok
      ? { ok: true, summary: judgedFields(summary.data) }
      : { ok: false, reason: summary.reason },
  };
  return { record, stored: false };
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
  const got = await resampledOutcome(input, resample, notes);
  if (!got) return { verdicts: null, record: null };
  const { record, stored } = got;
  const fresh = stored ? null : record;
  if (!record.outcome.ok) {
    notes.push(`counterfactual not judged: ${record.outcome.reason}${stored ? STORED : ''}`);
    return { verdicts: null, record: fresh };
  }
  const data = record.outcome.summary;
  const after = computeOracle(resample);
  const tol = oracle.tolerance;
  const mark = (v: Verdict): Verdict => (stored ? { ...v, detail: v.detail + STORED } : v);
  const judge = (field: Parameters<typeof judgeStatistic>[0], t: number) =>
    mark(judgeStatistic(field, t, before, after, data));
  notes.push(
    `counterfactual: re-executed ${record.cells} cells on a pooled session bootstrap (seed ${record.seed})${stored ? STORED : ''}`,
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

function findBenchmark(id: string, notes: string[]): BenchmarkDefinition | null {
  try {
    return getBenchmark(id);
  } catch (error) {
    notes.push(`${(error as Error).message}; the ab-test-analysis summary schema is used`);
    return null;
  }
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
  const benchmark = findBenchmark(run.benchmark.id, notes);
  if (benchmark)
    notes.push(sectionsNote(folder.notebook?.notebook ?? null, benchmark.notebook.sections));
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
      summary_valid: fullSummaryValid(folder, benchmark?.summarySchema),
      data_access: traceDataAccess(trace, run.data.table_url, total),
      data_quality: ran.data_quality,
      srm_test: fullSrm(ran.srm_test, compat.summary.data, oracle, input.rowsOracle),
      hypothesis_tests: ran.hypothesis_tests,
      p_value: withCf('p_value'),
      cohens_d: withCf('cohens_d'),
      completion_rates: withCf('completion_rates'),
      charts_exist: await fullChartsExist(folder, trace),
      charts_labeled: fullChartsLabeled(run, trace),
      recommended_variant: withCf('recommended_variant'),
      decision_grounded: ran.decision_grounded,
    },
  };
}
