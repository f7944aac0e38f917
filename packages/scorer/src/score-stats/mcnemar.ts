/**
 * The exact McNemar test of one pass/fail check over paired trials: only the discordant pairs carry
 * information, and under the null hypothesis each is equally likely to go either way, so the p-value
 * is the two-sided binomial test of one model's discordant wins at p = ½ (statsmodels'
 * `mcnemar(table, exact=True)`, equal to SciPy's `binomtest(b, b + c).pvalue`). With no discordant
 * pair the two models never differ on the check and p = 1 (as statsmodels gives).
 */
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';

export interface McNemarResult {
  /** Pairs where the first model passed and the second failed. */
  onlyA: number;
  /** Pairs where the second model passed and the first failed. */
  onlyB: number;
  /** Pairs where both passed / both failed. */
  both: number;
  neither: number;
  p: number;
}

export function exactMcNemar(pairs: readonly (readonly [boolean, boolean])[]): McNemarResult {
  let onlyA = 0;
  let onlyB = 0;
  let both = 0;
  let neither = 0;
  for (const [a, b] of pairs) {
    if (a && b) both++;
    else if (a) onlyA++;
    else if (b) onlyB++;
    else neither++;
  }
  const discordant = onlyA + onlyB;
  const p =
    discordant === 0 ? 1 : Math.min(1, 2 * binomialCdf(Math.min(onlyA, onlyB), discordant, 0.5));
  return { onlyA, onlyB, both, neither, p };
}
