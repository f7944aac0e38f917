/**
 * Seeded bootstrap draws over votes, one resample at a time. They are the very draws
 * `bootstrapIndices` makes (the same Mersenne Twister, the same ⌊u·n / 2³²⌋), streamed rather than
 * held: 2,000 resamples of 10,000 votes would otherwise be an 80 MB index array.
 */
import mt19937 from '@stdlib/random-base-mt19937';

/** Calls `visit` with each resample's indices (a reused buffer of `n` indices into the votes). */
export function forEachResample(
  n: number,
  resamples: number,
  seed: number,
  visit: (indices: Uint32Array, resample: number) => void,
): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`bootstrap: n must be ≥ 1, got ${n}`);
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`bootstrap: resamples must be ≥ 1, got ${resamples}`);
  const rng = mt19937.factory({ seed });
  const indices = new Uint32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) indices[i] = Math.floor((rng() * n) / 2 ** 32);
    visit(indices, r);
  }
}
