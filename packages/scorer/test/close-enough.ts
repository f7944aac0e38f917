/** Relative agreement with a SciPy reference value (1e-9), for the distribution and score-statistics fixtures. */
export function closeEnough(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= Math.max(1e-9 * Math.abs(expected), 1e-300);
}
