import { formatG, pyEquals, pyNumber, pyStr, type Verdict } from '@localds/scorer';
import type { Oracle } from '../oracle/types.js';
import { rawStatsOf } from './numeric.js';

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
