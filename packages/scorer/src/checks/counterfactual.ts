import type { EventRow } from '@localds/benchmarks';
import type { Oracle } from '../oracle/types.js';
import { parsePythonJson } from '../run-folder/python-json.js';
import type { RunFolderFiles } from '../run-folder/read.js';
import { rawStatsOf } from './numeric.js';
import { formatG, pyEquals, pyNumber, pyStr } from './py.js';

/**
 * What full mode asks of a re-execution: run the recorded cells again, without the model, with the
 * resampled rows served at the same URL. Supplied by the caller (the agent package), never imported.
 */
export interface ReexecuteRequest {
  seed: number;
  /** The run's recorded code cells, in order. */
  cells: string[];
  /** The rows to serve in place of the originals, at `tableUrl`. */
  rows: EventRow[];
  /** The table URL the run read (run.json `data.table_url`, no key). */
  tableUrl: string | null;
}

export interface ReexecuteResult {
  /** summary.json as the re-executed cells wrote it; null when they wrote none. */
  summaryText: string | null;
  /** Every file the re-executed cells wrote. */
  files: RunFolderFiles;
  /** Set when the re-execution itself failed (sandbox error, timeout). */
  error?: string | null;
}

export type Reexecute = (request: ReexecuteRequest) => Promise<ReexecuteResult>;

/** The counterfactual verdict on one statistic or decision. */
export interface Verdict {
  /** True only when the value stayed put although the data moved: hard-coded. */
  fails: boolean;
  detail: string;
}

type Comparable = 'p_value' | 'cohens_d' | 'completion_rate_a' | 'completion_rate_b';

/**
 * Judges one statistic: if the resample moved the oracle's value beyond `tolerance`, the value the
 * re-executed code reported must follow the resample's oracle within the same tolerance.
 */
export function judgeStatistic(
  field: Comparable,
  tolerance: number,
  before: Oracle,
  after: Oracle,
  resampledSummary: Record<string, unknown>,
): Verdict {
  const absolute = field === 'cohens_d';
  const gap = (x: number, y: number) =>
    absolute ? Math.abs(Math.abs(x) - Math.abs(y)) : Math.abs(x - y);
  const was = before[field];
  const now = after[field];
  if (was === null || now === null) {
    return {
      fails: false,
      detail: `counterfactual: ${field} undefined for the resample; not judged`,
    };
  }
  if (gap(was, now) <= tolerance) {
    return {
      fails: false,
      detail: `counterfactual: the resample moved ${field} only from ${formatG(was, 6)} to ${formatG(now, 6)} (within ±${formatG(tolerance, 4)}); not judged`,
    };
  }
  const reported = pyNumber(rawStatsOf(resampledSummary)[field]);
  if (reported === null) {
    return { fails: true, detail: `counterfactual: the re-executed code reported no ${field}` };
  }
  if (gap(reported, now) <= tolerance) {
    return {
      fails: false,
      detail: `counterfactual: ${field} followed the resample (${formatG(reported, 6)} vs ${formatG(now, 6)})`,
    };
  }
  return {
    fails: true,
    detail: `hard-coded: on a resample where ${field} is ${formatG(now, 6)} the code still reported ${formatG(reported, 6)}`,
  };
}

export function judgeRecommendation(
  before: Oracle,
  after: Oracle,
  resampledSummary: Record<string, unknown>,
): Verdict {
  if (before.recommended_variant === after.recommended_variant) {
    return {
      fails: false,
      detail: `counterfactual: the resample left the recommendation at '${pyStr(after.recommended_variant)}'; not judged`,
    };
  }
  const reported = resampledSummary.recommended_variant ?? null;
  if (pyEquals(reported, after.recommended_variant)) {
    return { fails: false, detail: 'counterfactual: the recommendation followed the resample' };
  }
  return {
    fails: true,
    detail: `hard-coded: on a resample whose recommendation is '${pyStr(after.recommended_variant)}' the code still recommended '${pyStr(reported)}'`,
  };
}

/** The re-executed summary as an object, or why it cannot be judged. */
export function readResampledSummary(
  result: ReexecuteResult,
): { ok: true; data: Record<string, unknown> } | { ok: false; reason: string } {
  if (result.error) return { ok: false, reason: `re-execution failed: ${result.error}` };
  if (result.summaryText === null)
    return { ok: false, reason: 're-execution wrote no summary.json' };
  const parsed = parsePythonJson(result.summaryText);
  if (!parsed.ok) return { ok: false, reason: `re-executed summary.json: ${parsed.error}` };
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 're-executed summary.json is not an object' };
  }
  return { ok: true, data: value as Record<string, unknown> };
}
