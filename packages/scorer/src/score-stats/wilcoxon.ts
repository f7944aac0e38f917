/**
 * The Wilcoxon signed-rank test of paired differences d = x − y, two-sided, as Debian's SciPy 1.10.1
 * computes `scipy.stats.wilcoxon(x, y)` with its defaults (zero_method='wilcox', correction=False,
 * method='auto'). Its actual rules, which this follows to the letter:
 * - no pairs: statistic and p are nan (null here);
 * - n = len(d) counted before zeros are dropped; exact when n ≤ 50, normal approximation otherwise;
 * - any zero difference switches exact to the approximation; the zeros are then dropped (wilcox), and
 *   all-zero differences raise (null here);
 * - ties among |d| do NOT switch to the approximation in 1.10.1: the exact p-value is looked up at
 *   ⌊r⁺⌋ in the tie-free distribution (later SciPy versions changed this; we report it as a note);
 * - the approximation uses mean n(n+1)/4 and variance (n(n+1)(2n+1) − ½Σt(t²−1))/24 over tie groups
 *   of the ranks, no continuity correction;
 * - statistic T = min(r⁺, r⁻) with average ranks.
 */
import { normalTwoSidedP } from '../stats/distributions.js';

export interface WilcoxonResult {
  /** min(r⁺, r⁻); null when undefined. */
  statistic: number | null;
  p: number | null;
  method: 'exact' | 'approx' | null;
  /** The normal approximation's z; null for the exact method. */
  z: number | null;
  /** Pairs given, and those with a zero difference (dropped). */
  n: number;
  zeros: number;
  /** Whether some nonzero |d| are tied. */
  ties: boolean;
  /** Why statistic/p are null, when they are. */
  reason: string | null;
  /** Caveats on a defined result (a small-sample approximation, ties under the exact method). */
  notes: string[];
}

const EXACT_MAX_N = 50;

/** Average ranks (1-based) of `values`, as scipy.stats.rankdata's default. */
export function averageRanks(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
  const ranks = new Array<number>(values.length);
  const tieSizes: number[] = [];
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) ranks[order[i]!] = rank;
    if (end - start > 1) tieSizes.push(end - start);
    start = end;
  }
  return { ranks, tieSizes };
}

/** Number of sign assignments of ranks 1…n giving each r⁺ = 0 … n(n+1)/2 (exact as doubles for n ≤ 50). */
function signedRankCounts(n: number): Float64Array {
  const total = (n * (n + 1)) / 2;
  const counts = new Float64Array(total + 1);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) {
    for (let r = (k * (k + 1)) / 2; r >= k; r--) counts[r]! += counts[r - k]!;
  }
  return counts;
}

function exactTwoSidedP(rPlus: number, n: number): number {
  const counts = signedRankCounts(n);
  const r = Math.floor(rPlus);
  if (r === Math.floor((counts.length - 1) / 2)) return 1;
  let less = 0;
  let greater = 0;
  for (let i = 0; i < counts.length; i++) {
    if (i <= r) less += counts[i]!;
    if (i >= r) greater += counts[i]!;
  }
  return Math.min(Math.max((2 * Math.min(less, greater)) / 2 ** n, 0), 1);
}

export function wilcoxonSignedRank(x: readonly number[], y: readonly number[]): WilcoxonResult {
  if (x.length !== y.length)
    throw new RangeError(`wilcoxon: ${x.length} values of x but ${y.length} of y`);
  const all = x.map((value, i) => value - y[i]!);
  const n = all.length;
  const zeros = all.filter((d) => d === 0).length;
  const base = { n, zeros, ties: false, notes: [] as string[] };
  if (n === 0) {
    return { ...base, statistic: null, p: null, method: null, z: null, reason: 'no pairs' };
  }
  const method: 'exact' | 'approx' = n <= EXACT_MAX_N && zeros === 0 ? 'exact' : 'approx';
  if (zeros === n) {
    return {
      ...base,
      statistic: null,
      p: null,
      method: null,
      z: null,
      reason: `every one of the ${n} paired differences is zero, so there is nothing to rank`,
    };
  }
  const d = method === 'approx' ? all.filter((v) => v !== 0) : all;
  const count = d.length;
  const { ranks, tieSizes } = averageRanks(d.map(Math.abs));
  let rPlus = 0;
  let rMinus = 0;
  for (let i = 0; i < count; i++) {
    if (d[i]! > 0) rPlus += ranks[i]!;
    else if (d[i]! < 0) rMinus += ranks[i]!;
  }
  const statistic = Math.min(rPlus, rMinus);
  const ties = tieSizes.length > 0;
  const notes: string[] = [];
  if (zeros > 0 && n <= EXACT_MAX_N)
    notes.push(`${zeros} zero difference(s) dropped; normal approximation instead of exact`);
  if (method === 'approx' && count < 10)
    notes.push(`only ${count} nonzero differences: the normal approximation is rough`);
  if (method === 'exact' && ties)
    notes.push('ties among the differences: the exact p-value ignores them (as SciPy 1.10.1)');
  if (method === 'exact') {
    return {
      ...base,
      ties,
      notes,
      statistic,
      p: exactTwoSidedP(rPlus, count),
      method,
      z: null,
      reason: null,
    };
  }
  const center = count * (count + 1) * 0.25;
  let variance = count * (count + 1) * (2 * count + 1);
  if (ties) variance -= 0.5 * tieSizes.reduce((sum, t) => sum + t * (t * t - 1), 0);
  const z = (statistic - center) / Math.sqrt(variance / 24);
  return {
    ...base,
    ties,
    notes,
    statistic,
    p: normalTwoSidedP(z),
    method,
    z,
    reason: null,
  };
}
