import { chiSquare2x2, chiSquareSf, normalInverseCdf } from '@localds/scorer';
import type { Stat } from '../segment-types.js';
import {
  LAUNCH_MS,
  launchSegmentsDefinitions as d,
  type Period,
  type Platform,
} from './definitions.js';
import type { SegmentEventRow } from '../segment-events.js';
import type { LaunchRawStats } from './summary.js';

/**
 * The oracle of `launch-segments`: every figure of the task's definitions, computed from the rows in
 * plain TypeScript. Mirrors scipy.stats.chi2_contingency(correction=False) for the pooled test and
 * statsmodels' StratifiedTable (oddsratio_pooled, logodds_pooled_se, test_null_odds(correction=False))
 * for the stratified effect, in the same arithmetic, so that an undefined value (0/0) is undefined here
 * too; scripts/generate_fixtures.py checks it at 1e-9.
 */

export interface CellCounts {
  started: number;
  completed: number;
}
export type LaunchCounts = Record<Period, Record<Platform, CellCounts>>;
export type LaunchDecision = Pick<LaunchOracle, 'status' | 'direction' | 'recommendation'>;

export interface LaunchOracle {
  /** The instant that splits the periods (ISO 8601). */
  cut: string;
  usable_rows: number;
  excluded: { null_platform: number; other_platform: number; null_session: number };
  counts: LaunchCounts;
  /** Platforms in the stratified analysis (a platform with no events in either period is left out). */
  strata: Platform[];
  raw_stats: Record<keyof LaunchRawStats, Stat>;
  pooled_chi2: Stat;
  cmh_statistic: Stat;
  status: 'significant' | 'not_significant';
  direction: 'better' | 'worse' | null;
  recommendation: 'keep' | 'roll_back' | null;
  /** Why each null raw_stats figure is null, in plain words. */
  undefined_reasons: Partial<Record<keyof LaunchRawStats, string>>;
}

export interface LaunchOracleOptions {
  /** The period cut in epoch ms; the launch instant unless a diagnostic recomputes a wrong cut. */
  cutMs?: number;
}

const emptyCell = (): CellCounts => ({ started: 0, completed: 0 });

function isPlatform(value: string): value is Platform {
  return (d.platforms as readonly string[]).includes(value);
}

/** Usable-row counts of started and completed events per period and platform. */
export function tallyLaunch(
  rows: readonly SegmentEventRow[],
  cutMs: number,
): Pick<LaunchOracle, 'usable_rows' | 'excluded' | 'counts'> {
  const counts: LaunchCounts = {
    before: { mobile: emptyCell(), desktop: emptyCell() },
    after: { mobile: emptyCell(), desktop: emptyCell() },
  };
  const excluded = { null_platform: 0, other_platform: 0, null_session: 0 };
  let usable = 0;
  for (const row of rows) {
    if (row.platform === null) {
      excluded.null_platform++;
      continue;
    }
    if (!isPlatform(row.platform)) {
      excluded.other_platform++;
      continue;
    }
    if (row.session_id === null) {
      excluded.null_session++;
      continue;
    }
    usable++;
    if (row.event !== d.events.started && row.event !== d.events.completed) continue;
    const at = Date.parse(row.timestamp);
    if (Number.isNaN(at)) {
      throw new RangeError(
        `row ${row.id}: timestamp "${row.timestamp}" is not an ISO 8601 instant`,
      );
    }
    const cell = counts[at < cutMs ? 'before' : 'after'][row.platform];
    if (row.event === d.events.started) cell.started++;
    else cell.completed++;
  }
  return { usable_rows: usable, excluded, counts };
}

const rate = (cell: CellCounts): Stat =>
  cell.started === 0 ? null : cell.completed / cell.started;

/** Stratified figures; every value null (with one reason) when the definitions leave them undefined. */
export interface Stratified {
  strata: Platform[];
  odds_ratio: Stat;
  ci_low: Stat;
  ci_high: Stat;
  cmh_statistic: Stat;
  cmh_p: Stat;
  reason: string | null;
}

const finiteOrNull = (x: number): Stat => (Number.isFinite(x) ? x : null);

/**
 * The stratified statistics of these counts. `correction` subtracts ½ from |Σ(a − E a)| in the CMH
 * statistic, as statsmodels' test_null_odds(correction=True): not the definition, kept so the
 * diagnostics can recognise that mistake.
 */
export function stratified(counts: LaunchCounts, correction = false): Stratified {
  const none = (strata: Platform[], reason: string): Stratified => ({
    strata,
    odds_ratio: null,
    ci_low: null,
    ci_high: null,
    cmh_statistic: null,
    cmh_p: null,
    reason,
  });
  const strata = d.platforms.filter((p) => {
    const { before, after } = { before: counts.before[p], after: counts.after[p] };
    return before.started + before.completed + after.started + after.completed > 0;
  });
  if (strata.length === 0) return none(strata, 'no platform has a started or completed event');
  // Per stratum the 2×2 table [[a, b], [c, d]]: rows after, before; columns completed, not completed.
  const tables = strata.map((p) => {
    const after = counts.after[p];
    const before = counts.before[p];
    return {
      platform: p,
      a: after.completed,
      b: after.started - after.completed,
      c: before.completed,
      d: before.started - before.completed,
    };
  });
  const negative = tables.find((t) => t.b < 0 || t.d < 0);
  if (negative) {
    const period = negative.b < 0 ? 'after' : 'before';
    return none(
      strata,
      `${negative.platform} has more completions than starts ${period} the launch, so a cell of its table is negative`,
    );
  }
  // statsmodels' StratifiedTable arithmetic, term for term (n = a + b + c + d per stratum).
  let adn = 0;
  let bcn = 0;
  let varAd = 0;
  let varMid = 0;
  let varBc = 0;
  let cmhNumerator = 0;
  let cmhDenominator = 0;
  for (const { a, b, c, d: dd } of tables) {
    const n = a + b + c + dd;
    const ad = a * dd;
    const bc = b * c;
    const apd = a + dd;
    adn += ad / n;
    bcn += bc / n;
    varAd += (apd * ad) / n ** 2;
    varMid += (apd * bc) / n ** 2 + ((1 - apd / n) * ad) / n;
    varBc += ((1 - apd / n) * bc) / n;
    cmhNumerator += a - ((a + b) * (a + c)) / n;
    cmhDenominator += ((a + b) * (a + c) * (b + dd) * (c + dd)) / (n ** 2 * (n - 1));
  }
  const oddsRatio = adn / bcn;
  if (!Number.isFinite(oddsRatio) || oddsRatio <= 0) {
    const why =
      bcn === 0 && adn === 0
        ? 'both sums of the Mantel–Haenszel odds ratio are 0 (0/0)'
        : bcn === 0
          ? 'the Mantel–Haenszel denominator Σ b·c/n is 0'
          : 'the Mantel–Haenszel numerator Σ a·d/n is 0 (odds ratio 0, log undefined)';
    return none(strata, `the odds ratio is undefined: ${why}`);
  }
  const logVariance = (varAd / adn ** 2 + varMid / (adn * bcn) + varBc / bcn ** 2) / 2;
  const z = normalInverseCdf(0.5 + d.ciLevel / 2);
  const halfWidth = z * Math.sqrt(logVariance);
  const logOr = Math.log(oddsRatio);
  const statistic =
    (correction ? Math.abs(cmhNumerator) - 0.5 : cmhNumerator) ** 2 / cmhDenominator;
  const ciLow = finiteOrNull(Math.exp(logOr - halfWidth));
  const ciHigh = finiteOrNull(Math.exp(logOr + halfWidth));
  const cmhStatistic = finiteOrNull(statistic);
  const cmhP = cmhStatistic === null ? null : chiSquareSf(cmhStatistic, 1);
  const reason =
    ciLow === null || cmhStatistic === null
      ? 'a stratum with a single event makes the variance 0/0 (n − 1 = 0), as statsmodels gives it'
      : null;
  return {
    strata,
    odds_ratio: oddsRatio,
    ci_low: ciLow,
    ci_high: ciHigh,
    cmh_statistic: cmhStatistic,
    cmh_p: cmhP,
    reason,
  };
}

/** The decision rule: CMH p below α decides the direction by the odds ratio. */
export function launchDecision(oddsRatio: Stat, cmhP: Stat): LaunchDecision {
  if (oddsRatio !== null && cmhP !== null && cmhP < d.alpha) {
    if (oddsRatio < 1)
      return { status: 'significant', direction: 'worse', recommendation: 'roll_back' };
    if (oddsRatio > 1)
      return { status: 'significant', direction: 'better', recommendation: 'keep' };
  }
  return { status: 'not_significant', direction: null, recommendation: null };
}

export function computeLaunchOracle(
  rows: readonly SegmentEventRow[],
  options: LaunchOracleOptions = {},
): LaunchOracle {
  const cutMs = options.cutMs ?? LAUNCH_MS;
  const tally = tallyLaunch(rows, cutMs);
  const { counts } = tally;
  const pooled = (period: Period): CellCounts => ({
    started: counts[period].mobile.started + counts[period].desktop.started,
    completed: counts[period].mobile.completed + counts[period].desktop.completed,
  });
  const before = pooled('before');
  const after = pooled('after');
  const reasons: Partial<Record<keyof LaunchRawStats, string>> = {};

  // Pearson χ² on period × (completed, started − completed), no continuity correction.
  let pooledChi2: Stat = null;
  let pooledP: Stat = null;
  const notCompleted = [before.started - before.completed, after.started - after.completed];
  if (notCompleted[0]! < 0 || notCompleted[1]! < 0) {
    reasons.pooled_p_value = `more completions than starts ${notCompleted[0]! < 0 ? 'before' : 'after'} the launch, so the χ² table has a negative cell`;
  } else if (before.started === 0 || after.started === 0) {
    reasons.pooled_p_value = `no started event ${before.started === 0 ? 'before' : 'after'} the launch, so the χ² table has a zero margin`;
  } else if (
    before.completed + after.completed === 0 ||
    notCompleted[0]! + notCompleted[1]! === 0
  ) {
    reasons.pooled_p_value = `${before.completed + after.completed === 0 ? 'no attempt' : 'every attempt'} completed in both periods, so the χ² table has a zero margin`;
  } else {
    const test = chiSquare2x2(
      [
        [before.completed, after.completed],
        [notCompleted[0]!, notCompleted[1]!],
      ],
      ['completed', 'not completed'],
      ['before', 'after'],
    );
    pooledChi2 = test.values.chi2;
    pooledP = test.values.p;
  }

  const strat = stratified(counts);
  const rawStats: Record<keyof LaunchRawStats, Stat> = {
    pooled_rate_before: rate(before),
    pooled_rate_after: rate(after),
    pooled_p_value: pooledP,
    rate_before_mobile: rate(counts.before.mobile),
    rate_after_mobile: rate(counts.after.mobile),
    rate_before_desktop: rate(counts.before.desktop),
    rate_after_desktop: rate(counts.after.desktop),
    mh_odds_ratio: strat.odds_ratio,
    mh_ci_low: strat.ci_low,
    mh_ci_high: strat.ci_high,
    cmh_p_value: strat.cmh_p,
  };
  for (const [field, value] of Object.entries(rawStats) as [keyof LaunchRawStats, Stat][]) {
    if (value !== null || reasons[field]) continue;
    if (field.startsWith('mh_') || field === 'cmh_p_value') {
      reasons[field] = strat.reason ?? 'not finite';
    } else if (field.includes('rate')) {
      reasons[field] = 'no started event in this cell';
    } else {
      reasons[field] = 'the χ² statistic is not finite';
    }
  }
  return {
    cut: new Date(cutMs).toISOString(),
    ...tally,
    strata: strat.strata,
    raw_stats: rawStats,
    pooled_chi2: pooledChi2,
    cmh_statistic: strat.cmh_statistic,
    ...launchDecision(strat.odds_ratio, strat.cmh_p),
    undefined_reasons: reasons,
  };
}
