/**
 * pass^k: the chance that k independent trials all score 100, estimated without bias from n trials
 * of which c scored 100 as C(c, k) / C(n, k) (the hypergeometric estimator; τ-bench's pass^k). It
 * falls faster than the mean when a model is only sometimes right, which is the point of showing it.
 */

/** C(c, k) / C(n, k) as a running product, for k = 1 … n (0 once k exceeds c). */
export function passHatK(perfect: number, n: number): { k: number; value: number }[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`pass^k: n must be ≥ 0, got ${n}`);
  if (!Number.isInteger(perfect) || perfect < 0 || perfect > n)
    throw new RangeError(`pass^k: perfect trials must be in 0…${n}, got ${perfect}`);
  const out: { k: number; value: number }[] = [];
  let value = 1;
  for (let k = 1; k <= n; k++) {
    value *= (perfect - (k - 1)) / (n - (k - 1));
    out.push({ k, value: Math.max(value, 0) });
  }
  return out;
}
