/**
 * The distribution helpers against SciPy reference values (fixtures/oracle/distributions.json, from
 * scripts/generate_oracle_fixtures.py), and the moment and test helpers on cases whose answers follow
 * from arithmetic.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  chiSquare2x2,
  chiSquareSf,
  cohensD,
  evenSplitChiSquare,
  mean,
  normalTwoSidedP,
  pairwiseSum,
  sampleVariance,
  tInverseCdf,
  tTwoSidedP,
  twoProportionZTest,
  welchTTest,
} from '../src/stats/index.js';
import { closeEnough } from './close-enough.js';

interface Reference {
  t_two_sided_p: { t: number; df: number; p: number }[];
  t_quantile: { p: number; df: number; x: number }[];
  chi_square_sf: { x: number; k: number; sf: number }[];
  normal_two_sided_p: { z: number; p: number }[];
}
const reference = JSON.parse(
  readFileSync(new URL('../fixtures/oracle/distributions.json', import.meta.url), 'utf8'),
) as Reference;

describe('distributions agree with SciPy to 1e-9 relative, far into the tails', () => {
  test.each(reference.t_two_sided_p)('t two-sided p at t=$t, df=$df', ({ t, df, p }) => {
    expect(closeEnough(tTwoSidedP(t, df), p)).toBe(true);
    expect(closeEnough(tTwoSidedP(-t, df), p)).toBe(true);
  });
  test.each(reference.t_quantile)('t quantile at p=$p, df=$df', ({ p, df, x }) => {
    expect(closeEnough(tInverseCdf(p, df), x)).toBe(true);
  });
  test.each(reference.chi_square_sf)('χ² sf at x=$x, k=$k', ({ x, k, sf }) => {
    expect(closeEnough(chiSquareSf(x, k), sf)).toBe(true);
  });
  test.each(reference.normal_two_sided_p)('normal two-sided p at z=$z', ({ z, p }) => {
    expect(closeEnough(normalTwoSidedP(z), p)).toBe(true);
  });
});

describe('moments', () => {
  test('pairwise sum is exact on integers across block boundaries', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(pairwiseSum(values)).toBe(500500);
    expect(pairwiseSum(values, 10, 20)).toBe(155);
  });
  test('pairwise sum keeps precision where a running sum drifts', () => {
    const values = new Float64Array(1_000_000).fill(0.1);
    let running = 0;
    for (const v of values) running += v;
    expect(Math.abs(pairwiseSum(values) - 100000)).toBeLessThan(Math.abs(running - 100000) / 100);
  });
  test('mean and n − 1 variance; undefined for too few values', () => {
    expect(mean([2, 4, 9])).toBe(5);
    expect(sampleVariance([2, 4, 9])).toBe(13);
    expect(mean([])).toBeNaN();
    expect(sampleVariance([3])).toBeNaN();
  });
  test('two-pass variance survives a large offset', () => {
    const values = [1e9 + 1, 1e9 + 2, 1e9 + 3];
    expect(sampleVariance(values)).toBe(1);
  });
});

const summary = (values: number[]) => ({
  n: values.length,
  mean: mean(values),
  variance: sampleVariance(values),
});

describe('Welch t-test edge rules', () => {
  test('n = 2 per group is enough; the t statistic is (mean_b − mean_a)/se', () => {
    const result = welchTTest(summary([1, 3]), summary([4, 8]), 0.95);
    expect(result.values.mean_diff).toBe(4);
    expect(result.values.t).toBeCloseTo(4 / Math.sqrt(2 / 2 + 8 / 2), 14);
    expect(result.reasons).toEqual({});
  });
  test('n < 2 in a group: everything but the mean difference is null, with a reason', () => {
    const result = welchTTest(summary([5]), summary([4, 8]), 0.95);
    expect(result.values).toEqual({
      mean_diff: 1,
      t: null,
      df: null,
      p: null,
      ci_low: null,
      ci_high: null,
    });
    expect(result.reasons.p).toMatch(/variant A has 1 completion time/);
  });
  test('an empty group leaves the mean difference undefined too', () => {
    const result = welchTTest(summary([]), summary([4, 8]), 0.95);
    expect(result.values.mean_diff).toBeNull();
    expect(result.reasons.mean_diff).toMatch(/variant A has no completion times/);
  });
  test('both groups constant and different: t infinite (null), p 0, zero-width CI', () => {
    const result = welchTTest(summary([5, 5]), summary([7, 7, 7]), 0.95);
    expect(result.values).toEqual({ mean_diff: 2, t: null, df: null, p: 0, ci_low: 2, ci_high: 2 });
    expect(result.reasons.t).toMatch(/infinite/);
  });
  test('both groups constant and equal: t and p undefined', () => {
    const result = welchTTest(summary([5, 5]), summary([5, 5]), 0.95);
    expect(result.values.t).toBeNull();
    expect(result.values.p).toBeNull();
    expect(result.reasons.t).toMatch(/0\/0/);
  });
});

describe("Cohen's d", () => {
  test('uses the pooled SD and the B − A sign', () => {
    const result = cohensD(summary([1, 3]), summary([4, 8]));
    expect(result.values.pooled_sd).toBeCloseTo(Math.sqrt((2 + 8) / 2), 14);
    expect(result.values.d).toBeCloseTo(4 / Math.sqrt(5), 14);
  });
  test('zero pooled SD: d undefined', () => {
    expect(cohensD(summary([2, 2]), summary([3, 3])).values.d).toBeNull();
  });
});

describe('χ² and z tests', () => {
  test('2×2 χ² without continuity correction', () => {
    // Expected counts are all 5; each cell is off by 2: χ² = 4·(4/5).
    const result = chiSquare2x2(
      [
        [7, 3],
        [3, 7],
      ],
      ['completed', 'not completed'],
      ['A', 'B'],
    );
    expect(result.values.chi2).toBeCloseTo(3.2, 14);
  });
  test('2×2 χ² refuses a negative cell and an empty column', () => {
    expect(
      chiSquare2x2(
        [
          [7, 3],
          [-1, 7],
        ],
        ['completed', 'not completed'],
        ['A', 'B'],
      ).reasons.chi2,
    ).toMatch(/not completed count of variant A is negative/);
    expect(
      chiSquare2x2(
        [
          [7, 3],
          [0, 0],
        ],
        ['completed', 'not completed'],
        ['A', 'B'],
      ).reasons.p,
    ).toMatch(/no attempt is not completed/);
  });
  test('two-proportion z-test: pooled SE, B − A sign, undefined at a pooled 0 or 1', () => {
    const what = { successes: 'repeats', trials: 'completions' };
    const z = twoProportionZTest({ successes: 2, trials: 10 }, { successes: 6, trials: 10 }, what);
    expect(z.values.z).toBeCloseTo(0.4 / Math.sqrt(0.4 * 0.6 * 0.2), 14);
    expect(
      twoProportionZTest({ successes: 0, trials: 4 }, { successes: 0, trials: 5 }, what).reasons.z,
    ).toMatch(/no repeats in either variant/);
  });
  test('even-split χ²: (a − b)² / (a + b); undefined with no counts', () => {
    expect(evenSplitChiSquare(60, 40, 'sessions').values.chi2).toBeCloseTo(4, 14);
    expect(evenSplitChiSquare(0, 0, 'sessions').values.p).toBeNull();
  });
});
