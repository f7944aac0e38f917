/**
 * Distribution functions from @stdlib (double-precision, maintained), wrapped to the few shapes the
 * oracle needs. Tail probabilities are taken from the lower tail at −|x| or from the upper regularized
 * incomplete gamma, never as 1 − cdf, so small p-values keep their relative precision.
 */
import gammainc from '@stdlib/math-base-special-gammainc';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Two-sided p-value of a Student t statistic with df degrees of freedom: 2·P(T ≤ −|t|). */
export function tTwoSidedP(t: number, df: number): number {
  return 2 * tCdf(-Math.abs(t), df);
}

/** Quantile of Student's t with df degrees of freedom. */
export function tInverseCdf(p: number, df: number): number {
  return tQuantile(p, df);
}

/** Survival function P(X > x) of a χ² variable with k degrees of freedom: Q(k/2, x/2). */
export function chiSquareSf(x: number, k: number): number {
  if (x <= 0) return x === 0 ? 1 : NaN;
  return gammainc(x / 2, k / 2, true, true);
}

/** Two-sided p-value of a standard normal statistic: 2·Φ(−|z|). */
export function normalTwoSidedP(z: number): number {
  return 2 * normalCdf(-Math.abs(z), 0, 1);
}

/** Quantile of the standard normal distribution. */
export function normalInverseCdf(p: number): number {
  return normalQuantile(p, 0, 1);
}
