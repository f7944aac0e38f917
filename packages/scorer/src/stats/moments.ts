/**
 * Sample moments of a numeric array, computed the way numpy does (pairwise sum, then a second pass
 * for the variance) so that the oracle agrees with SciPy to rounding. Hand-written: a dozen lines,
 * where a library would bring its own summation order.
 */

const PAIRWISE_BLOCK = 128;

/** Sum of values[from, to) by pairwise summation: error grows with log n, not n. */
export function pairwiseSum(values: ArrayLike<number>, from = 0, to = values.length): number {
  const n = to - from;
  if (n <= PAIRWISE_BLOCK) {
    let sum = 0;
    for (let i = from; i < to; i++) sum += values[i]!;
    return sum;
  }
  const middle = from + Math.floor(n / 2);
  return pairwiseSum(values, from, middle) + pairwiseSum(values, middle, to);
}

/** Arithmetic mean of the first n values; NaN for n = 0 (as numpy). */
export function mean(values: ArrayLike<number>, n = values.length): number {
  return n === 0 ? NaN : pairwiseSum(values, 0, n) / n;
}

/**
 * Sample variance (n − 1 denominator) of the first n values, two-pass: the mean first, then the
 * squared deviations from it, which avoids the cancellation of the one-pass Σx² − n·mean² form.
 * NaN for n < 2 (as numpy with ddof=1).
 */
export function sampleVariance(
  values: ArrayLike<number>,
  n = values.length,
  center = mean(values, n),
): number {
  if (n < 2) return NaN;
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const deviation = values[i]! - center;
    squares[i] = deviation * deviation;
  }
  return pairwiseSum(squares) / (n - 1);
}
