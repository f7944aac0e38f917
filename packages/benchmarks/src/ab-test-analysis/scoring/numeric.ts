import type { ScoringOracle } from './oracle-like.js';
import { formatF, formatG, pyEquals, pyNumber, pyStr } from '@localds/scorer';
import type { CheckOutcome } from '@localds/scorer';

/** summary.json's raw_stats as the article reads it: `data.get("raw_stats", {})`. */
export function rawStatsOf(data: Record<string, unknown>): Record<string, unknown> {
  const raw = data.raw_stats;
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw)
    ? (raw as Record<string, unknown>)
    : {};
}

const notNumber = (label: string, v: unknown) =>
  `${label} is not a number (got ${pyStr(v)}); the article's scorer stops with a TypeError here`;

/**
 * The article's tolerance rule: |actual − expected| ≤ tol, or with `absolute`, ||actual| − |expected||
 * ≤ tol (its Cohen's d rule, sign-agnostic). A missing value fails.
 */
export function toleranceCheck(
  actual: unknown,
  expected: number | null | undefined,
  tolerance: number,
  label: string,
  absolute = false,
): CheckOutcome {
  if (actual === null || actual === undefined) {
    return { pass: false, detail: `${label} missing from run` };
  }
  const a = pyNumber(actual);
  if (a === null) return { pass: false, detail: notNumber(label, actual) };
  if (expected === null || expected === undefined) {
    return { pass: false, detail: `oracle has no ${label} for these rows` };
  }
  const diff = absolute ? Math.abs(Math.abs(a) - Math.abs(expected)) : Math.abs(a - expected);
  return {
    pass: diff <= tolerance,
    detail: `got ${formatG(a, 6)}, oracle ${formatG(expected, 6)}, tolerance ±${formatG(tolerance, 4)}`,
  };
}

export function pValueCheck(raw: Record<string, unknown>, oracle: ScoringOracle): CheckOutcome {
  return toleranceCheck(raw.p_value, oracle.raw_stats.p_value, oracle.tolerance.p_value, 'p_value');
}

export function cohensDCheck(raw: Record<string, unknown>, oracle: ScoringOracle): CheckOutcome {
  const tol = oracle.tolerance.cohens_d;
  return toleranceCheck(raw.cohens_d, oracle.raw_stats.cohens_d, tol, 'cohens_d', true);
}

/** Both rates within ±rate_pct of the oracle's (absolute, so a rate given in percent fails). */
export function completionRatesCheck(
  raw: Record<string, unknown>,
  oracle: ScoringOracle,
): CheckOutcome {
  const t = oracle.tolerance.rate_pct;
  const rates = [raw.completion_rate_a, raw.completion_rate_b];
  const expected = [oracle.raw_stats.completion_rate_a, oracle.raw_stats.completion_rate_b];
  for (const [i, v] of rates.entries()) {
    if (v !== null && v !== undefined && pyNumber(v) === null) {
      return { pass: false, detail: notNumber(`completion_rate_${i ? 'b' : 'a'}`, v) };
    }
    if (v !== null && v !== undefined && (expected[i] ?? null) === null) {
      return {
        pass: false,
        detail: `oracle has no completion_rate_${i ? 'b' : 'a'} for these rows`,
      };
    }
  }
  const ok = rates.map((v, i) => {
    const n = pyNumber(v);
    return n !== null && Math.abs(n - expected[i]!) <= t;
  });
  const [aOk, bOk] = ok;
  if (aOk && bOk) {
    const f = (v: unknown) => formatF(pyNumber(v) ?? NaN, 4);
    return {
      pass: true,
      detail: `A:${f(rates[0])} B:${f(rates[1])}, oracle A:${f(expected[0])} B:${f(expected[1])}`,
    };
  }
  if (!aOk && !bOk) {
    const [ra, rb] = rates.map(pyStr);
    const [ea, eb] = expected.map(pyStr);
    return { pass: false, detail: `both rates off: A:${ra} B:${rb}, oracle A:${ea} B:${eb}` };
  }
  return { pass: false, detail: `rate ${aOk ? 'B' : 'A'} off (tolerance ±${pyStr(t)})` };
}

/**
 * Python equality of the two values. Odd but kept: a summary without `recommended_variant` (or no
 * summary at all) matches an oracle that recommends nothing (None == None).
 */
export function recommendedVariantCheck(
  data: Record<string, unknown>,
  oracle: ScoringOracle,
): CheckOutcome {
  const actual = data.recommended_variant ?? null;
  const expected = oracle.recommended_variant ?? null;
  return {
    pass: pyEquals(actual, expected),
    detail: `got '${pyStr(actual)}', expected '${pyStr(expected)}'`,
  };
}
