/**
 * The hypothesis tests of the A/B benchmark, each mirroring one SciPy call so that parity can be
 * checked field by field. Where SciPy returns nan/inf or raises, the value here is null and a reason
 * says why in plain words; the rule for each case is stated next to it.
 */
import { chiSquareSf, normalTwoSidedP, tInverseCdf, tTwoSidedP } from './distributions.js';
import { statResult, type StatResult } from './result.js';

/** Size, mean and sample variance (n − 1) of one group. mean is NaN for n = 0, variance NaN for n < 2. */
export interface SampleSummary {
  n: number;
  mean: number;
  variance: number;
}

export type WelchField = 'mean_diff' | 't' | 'df' | 'p' | 'ci_low' | 'ci_high';

/**
 * Welch's two-sided t-test of b vs a (t = (mean_b − mean_a)/se), as scipy.stats.ttest_ind(b, a,
 * equal_var=False), with the confidence interval of mean_b − mean_a from t.ppf at the
 * Welch–Satterthwaite df.
 *
 * Undefined cases:
 * - n < 2 in a group: the variance is undefined (numpy ddof=1 gives nan), so t, df, p and the CI are
 *   null; mean_diff is still defined when both groups have a value.
 * - both variances zero (se = 0): the df formula is 0/0, so df is null. SciPy then returns t = ±inf
 *   and p = 0 when the means differ (null t, p = 0 here), t = nan and p = nan when they are equal
 *   (both null). The CI has zero width, [diff, diff], as SciPy's confidence_interval gives.
 */
export function welchTTest(
  a: SampleSummary,
  b: SampleSummary,
  ciLevel: number,
): StatResult<WelchField> {
  const diff = b.mean - a.mean;
  const emptyGroup = a.n === 0 ? 'A' : b.n === 0 ? 'B' : null;
  const smallGroup = a.n < 2 ? a : b.n < 2 ? b : null;
  if (smallGroup) {
    const which = smallGroup === a ? 'A' : 'B';
    const reason = `variant ${which} has ${smallGroup.n} completion time${smallGroup.n === 1 ? '' : 's'}; Welch's t-test needs at least 2 per variant`;
    const diffReason = emptyGroup ? `variant ${emptyGroup} has no completion times` : reason;
    return statResult(
      { mean_diff: diff, t: null, df: null, p: null, ci_low: null, ci_high: null },
      { mean_diff: diffReason },
      reason,
    );
  }
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const seSquared = va + vb;
  if (seSquared === 0) {
    const equal = diff === 0;
    return statResult(
      { mean_diff: diff, t: null, df: null, p: equal ? null : 0, ci_low: diff, ci_high: diff },
      {
        t: equal
          ? 'both variants have zero variance and equal means, so t is 0/0'
          : 'both variants have zero variance and different means, so t is infinite',
        p: 'both variants have zero variance and equal means, so the test statistic is undefined',
      },
      'both variants have zero variance, so the Welch–Satterthwaite df is 0/0',
    );
  }
  const se = Math.sqrt(seSquared);
  const t = diff / se;
  const df = (seSquared * seSquared) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const halfWidth = tInverseCdf(0.5 + ciLevel / 2, df) * se;
  return statResult(
    {
      mean_diff: diff,
      t,
      df,
      p: tTwoSidedP(t, df),
      ci_low: diff - halfWidth,
      ci_high: diff + halfWidth,
    },
    {},
    'the Welch statistic is not finite for these values',
  );
}

export type CohensDField = 'pooled_sd' | 'd';

/**
 * Cohen's d = (mean_b − mean_a) / pooled SD, pooled SD = √(((n_a−1)s_a² + (n_b−1)s_b²)/(n_a+n_b−2)).
 * Undefined when a group has n < 2 (its variance is undefined); d is also undefined when the pooled
 * SD is zero (both groups constant).
 */
export function cohensD(a: SampleSummary, b: SampleSummary): StatResult<CohensDField> {
  const smallGroup = a.n < 2 ? 'A' : b.n < 2 ? 'B' : null;
  if (smallGroup) {
    return statResult(
      { pooled_sd: null, d: null },
      {},
      `variant ${smallGroup} has fewer than 2 completion times, so its standard deviation is undefined`,
    );
  }
  const pooled = Math.sqrt(((a.n - 1) * a.variance + (b.n - 1) * b.variance) / (a.n + b.n - 2));
  const d = pooled === 0 ? null : (b.mean - a.mean) / pooled;
  return statResult(
    { pooled_sd: pooled, d },
    { d: 'both variants have zero variance, so the pooled SD is 0 and d is undefined' },
    'not finite',
  );
}

export type ChiSquareField = 'chi2' | 'p';

/**
 * Pearson χ² test of independence on a 2×2 table of counts, without continuity correction, as
 * scipy.stats.chi2_contingency(table, correction=False). SciPy raises on a negative cell and on a zero
 * expected frequency (a row or column that sums to 0); both are null here. rowLabels name the rows in
 * the reasons (e.g. ['completed', 'not completed']).
 */
export function chiSquare2x2(
  table: readonly [readonly [number, number], readonly [number, number]],
  rowLabels: readonly [string, string],
  columnLabels: readonly [string, string],
): StatResult<ChiSquareField> {
  const rows = [table[0][0] + table[0][1], table[1][0] + table[1][1]] as const;
  const columns = [table[0][0] + table[1][0], table[0][1] + table[1][1]] as const;
  const total = rows[0] + rows[1];
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      if (table[i]![j]! < 0) {
        return statResult(
          { chi2: null, p: null },
          {},
          `the ${rowLabels[i]} count of variant ${columnLabels[j]} is negative`,
        );
      }
    }
  }
  const emptyRow = rows.findIndex((sum) => sum === 0);
  const emptyColumn = columns.findIndex((sum) => sum === 0);
  if (emptyRow >= 0 || emptyColumn >= 0) {
    const what =
      emptyColumn >= 0
        ? `variant ${columnLabels[emptyColumn]} has no attempts`
        : `no attempt is ${rowLabels[emptyRow]} in either variant`;
    return statResult(
      { chi2: null, p: null },
      {},
      `${what}, so the χ² table has a zero expected count`,
    );
  }
  let chi2 = 0;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      const expected = (rows[i]! * columns[j]!) / total;
      const gap = table[i]![j]! - expected;
      chi2 += (gap * gap) / expected;
    }
  }
  return statResult({ chi2, p: chiSquareSf(chi2, 1) }, {}, 'the χ² statistic is not finite');
}

export type ZTestField = 'z' | 'p';

/**
 * Two-proportion z-test of successes/trials in b vs a with the pooled proportion, two-sided
 * (z = (p_b − p_a)/√(p(1−p)(1/n_a + 1/n_b)), p from norm.sf). Undefined when a group has no trials,
 * when the pooled proportion is 0 or 1 (zero standard error), and when successes exceed trials.
 */
export function twoProportionZTest(
  a: { successes: number; trials: number },
  b: { successes: number; trials: number },
  what: { successes: string; trials: string },
): StatResult<ZTestField> {
  const noTrials = a.trials === 0 ? 'A' : b.trials === 0 ? 'B' : null;
  if (noTrials)
    return statResult({ z: null, p: null }, {}, `variant ${noTrials} has no ${what.trials}`);
  const tooMany = a.successes > a.trials ? 'A' : b.successes > b.trials ? 'B' : null;
  if (tooMany) {
    return statResult(
      { z: null, p: null },
      {},
      `variant ${tooMany} has more ${what.successes} than ${what.trials}`,
    );
  }
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  if (pooled === 0 || pooled === 1) {
    const reason =
      pooled === 0
        ? `there are no ${what.successes} in either variant`
        : `every one of the ${what.trials} has ${what.successes} in both variants`;
    return statResult({ z: null, p: null }, {}, `${reason}, so the pooled standard error is 0`);
  }
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  const z = (b.successes / b.trials - a.successes / a.trials) / se;
  return statResult({ z, p: normalTwoSidedP(z) }, {}, 'the z statistic is not finite');
}

/**
 * χ² goodness of fit of two counts against an even split, as scipy.stats.chisquare([a, b]).
 * Undefined when both counts are 0 (expected frequencies are 0; SciPy returns nan).
 */
export function evenSplitChiSquare(a: number, b: number, what: string): StatResult<ChiSquareField> {
  if (a + b === 0)
    return statResult({ chi2: null, p: null }, {}, `there are no ${what} in either variant`);
  const expected = (a + b) / 2;
  const chi2 =
    ((a - expected) * (a - expected)) / expected + ((b - expected) * (b - expected)) / expected;
  return statResult({ chi2, p: chiSquareSf(chi2, 1) }, {}, 'the χ² statistic is not finite');
}
