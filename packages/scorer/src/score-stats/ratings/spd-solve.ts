/**
 * Solves A·x = b for a symmetric positive definite A by Cholesky factorisation, in place.
 *
 * Hand-written rather than ml-matrix's CholeskyDecomposition: the rating fit solves a ~20×20 system
 * a few times per refit and refits 2,000 times per bootstrap, and ml-matrix's per-call allocations
 * (arrays of arrays, then garbage collection) were two thirds of the fit's time when measured.
 */

/** Overwrites `a` (n×n, row-major) with its Cholesky factor and returns x; throws if A is not SPD. */
export function solveSymmetricPositiveDefinite(
  a: Float64Array,
  b: ArrayLike<number>,
  n: number,
): Float64Array {
  // Lower factor L (A = L·Lᵀ), column by column, written over A's lower triangle.
  for (let j = 0; j < n; j++) {
    let diagonal = a[j * n + j]!;
    for (let k = 0; k < j; k++) diagonal -= a[j * n + k]! ** 2;
    if (!(diagonal > 0)) throw new Error('solve: the matrix is not positive definite');
    const pivot = Math.sqrt(diagonal);
    a[j * n + j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let value = a[i * n + j]!;
      for (let k = 0; k < j; k++) value -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = value / pivot;
    }
  }
  // L·y = b, then Lᵀ·x = y.
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) x[i]! -= a[i * n + k]! * x[k]!;
    x[i]! /= a[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) x[i]! -= a[k * n + i]! * x[k]!;
    x[i]! /= a[i * n + i]!;
  }
  return x;
}
