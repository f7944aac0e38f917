/**
 * Percentile bootstrap of a mean, seeded so that the same scores always give the same interval (on
 * the page, in the CLI and in a report made later from the same folders). The resampling draws come
 * from a Mersenne Twister (@stdlib) and are exposed (`bootstrapIndices`) so that the SciPy fixtures
 * can be computed from exactly the draws made here; percentiles follow numpy's default "linear"
 * method, lerp included, so the two agree to rounding.
 */
import mt19937 from '@stdlib/random-base-mt19937';
import { mean } from '../stats/moments.js';

export interface BootstrapOptions {
  /** Number of resamples (default 2000). */
  resamples?: number;
  /** Seed of the resampling draws (default 1). The same seed is used for every interval. */
  seed?: number;
  /** Confidence level of the percentile interval (default 0.95). */
  level?: number;
}

export const BOOTSTRAP_DEFAULTS = { resamples: 2000, seed: 1, level: 0.95 } as const;

/** The fewest values an interval is computed from; below it the interval is "n too small". */
export const MIN_BOOTSTRAP_N = 3;

/** An interval, or why there is none (never a made-up one). */
export type Interval =
  | { low: number; high: number; level: number; reason: null }
  | { low: null; high: null; level: number; reason: string };

/**
 * The resample indices: `resamples` rows of `n` indices into the data, row-major, from a Mersenne
 * Twister seeded with `seed`.
 */
export function bootstrapIndices(n: number, resamples: number, seed: number): Uint32Array {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`bootstrap: n must be ≥ 1, got ${n}`);
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`bootstrap: resamples must be ≥ 1, got ${resamples}`);
  const rng = mt19937.factory({ seed });
  const out = new Uint32Array(n * resamples);
  // ⌊u·n / 2³²⌋ for a uniform 32-bit word u: exact in doubles, never n.
  for (let i = 0; i < out.length; i++) out[i] = Math.floor((rng() * n) / 2 ** 32);
  return out;
}

/** The numpy default ("linear") percentile of ascending `sorted` at `percent` (0–100). */
export function percentileLinear(sorted: ArrayLike<number>, percent: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  // numpy divides by 100 first and indexes at (n − 1)·q, then lerps the neighbours.
  const virtual = (n - 1) * (percent / 100);
  const below = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
  const above = Math.min(below + 1, n - 1);
  const gamma = virtual - below;
  const a = sorted[below]!;
  const b = sorted[above]!;
  const diff = b - a;
  // numpy's _lerp: from the nearer end, so that gamma = 1 gives b exactly.
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** The mean of each resample, in draw order. */
export function bootstrapMeans(values: ArrayLike<number>, indices: Uint32Array): Float64Array {
  const n = values.length;
  const resamples = indices.length / n;
  const out = new Float64Array(resamples);
  const scratch = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) scratch[i] = values[indices[r * n + i]!]!;
    out[r] = mean(scratch);
  }
  return out;
}

/**
 * The percentile bootstrap interval of the mean of `values`; "n too small" below MIN_BOOTSTRAP_N
 * values (an interval from one or two trials would only restate them).
 */
export function bootstrapMeanInterval(
  values: ArrayLike<number>,
  options: BootstrapOptions = {},
): Interval {
  const { resamples, seed, level } = { ...BOOTSTRAP_DEFAULTS, ...options };
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap: level must be in (0, 1)`);
  const n = values.length;
  if (n < MIN_BOOTSTRAP_N) {
    return {
      low: null,
      high: null,
      level,
      reason: `n too small: ${n} value${n === 1 ? '' : 's'}, an interval needs at least ${MIN_BOOTSTRAP_N}`,
    };
  }
  const means = bootstrapMeans(values, bootstrapIndices(n, resamples, seed)).sort();
  // For 0.95 this is exactly 2.5 and 97.5, the percentiles the fixtures ask numpy for.
  const tail = (100 - 100 * level) / 2;
  return {
    low: percentileLinear(means, tail),
    high: percentileLinear(means, 100 - tail),
    level,
    reason: null,
  };
}
