/**
 * The two-sample figures wrong definitions need beyond the oracle's own procedures (src/stats):
 * Student's pooled-variance test and d over other SDs.
 */
import type { Oracle, Stat } from '../oracle/types.js';
import { tTwoSidedP } from '@localds/scorer';
import { mean, sampleVariance } from '@localds/scorer';
import { cohensD, welchTTest, type SampleSummary } from '@localds/scorer';

export function summaryOf(values: readonly number[]): SampleSummary {
  const m = mean(values);
  return { n: values.length, mean: m, variance: sampleVariance(values, values.length, m) };
}

/** The primary metric's per-variant summaries as an oracle has them. */
export function oracleSummaries(oracle: Oracle): { a: SampleSummary; b: SampleSummary } {
  const summary = (n: number, m: Stat, sd: Stat): SampleSummary => ({
    n,
    mean: m ?? NaN,
    variance: sd === null ? NaN : sd * sd,
  });
  return {
    a: summary(oracle.variants.A.n_times, oracle.mean_a, oracle.std_a),
    b: summary(oracle.variants.B.n_times, oracle.mean_b, oracle.std_b),
  };
}

const finite = (x: number): Stat => (Number.isFinite(x) ? x : null);

/** Welch's two-sided p, b vs a (the oracle's procedure, for recomputations on other samples). */
export const welchP = (a: SampleSummary, b: SampleSummary): Stat => welchTTest(a, b, 0.95).values.p;

/** Cohen's d with the pooled SD (the oracle's procedure). */
export const pooledD = (a: SampleSummary, b: SampleSummary): Stat => cohensD(a, b).values.d;

/** Student's pooled-variance t-test p (two-sided), as scipy.stats.ttest_ind(b, a) with equal_var=True. */
export function studentP(a: SampleSummary, b: SampleSummary): Stat {
  if (a.n < 2 || b.n < 2) return null;
  const pooledVariance = ((a.n - 1) * a.variance + (b.n - 1) * b.variance) / (a.n + b.n - 2);
  const t = (b.mean - a.mean) / Math.sqrt(pooledVariance * (1 / a.n + 1 / b.n));
  return finite(tTwoSidedP(t, a.n + b.n - 2));
}

/** (mean_b − mean_a) ÷ sd; null when sd is undefined or zero. */
export function diffOver(a: SampleSummary, b: SampleSummary, sd: number): Stat {
  return sd > 0 ? finite((b.mean - a.mean) / sd) : null;
}
