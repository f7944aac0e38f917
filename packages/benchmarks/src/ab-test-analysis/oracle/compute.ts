/**
 * The oracle: every statistic of the A/B benchmark computed from raw event rows and the benchmark's
 * definitions. Pure and isomorphic, so the page and Node score with the same code.
 */
import { AB_TEST_ID, AB_TEST_VERSION } from '../identity.js';
import { abTestDefinitions, type AbTestDefinitions } from '../definitions.js';
import { type EventRow } from '../events.js';
import { mean, sampleVariance } from '@localds/scorer';
import type { Stat } from '@localds/scorer';
import {
  chiSquare2x2,
  cohensD,
  evenSplitChiSquare,
  twoProportionZTest,
  welchTTest,
  type SampleSummary,
} from '@localds/scorer';
import { decide } from './decision.js';
import { tallyRows, type VariantTally } from './tally.js';
import type { Oracle, VariantFigures } from './types.js';

export interface BenchmarkIdentity {
  id: string;
  version: string;
}

/** Identity stamped on oracles when the caller does not name the benchmark. */
export const AB_TEST_BENCHMARK: BenchmarkIdentity = {
  id: AB_TEST_ID,
  version: AB_TEST_VERSION,
};

type Reasons = Oracle['undefined_reasons'];

/** A ratio that is null, with a reason, when its denominator is 0. */
function ratio(
  numerator: number,
  denominator: number,
  reason: string,
  field: string,
  reasons: Reasons,
): Stat {
  if (denominator === 0) {
    reasons[field] = reason;
    return null;
  }
  return numerator / denominator;
}

function summarise(tally: VariantTally): SampleSummary {
  const m = mean(tally.times, tally.nTimes);
  return { n: tally.nTimes, mean: m, variance: sampleVariance(tally.times, tally.nTimes, m) };
}

function variantFigures(
  label: 'A' | 'B',
  tally: VariantTally,
  summary: SampleSummary,
  reasons: Reasons,
): VariantFigures {
  const at = (field: string): string => `variants.${label}.${field}`;
  const meanTime = summary.n === 0 ? null : summary.mean;
  if (meanTime === null) reasons[at('mean_time')] = `variant ${label} has no completion times`;
  const stdTime = summary.n < 2 ? null : Math.sqrt(summary.variance);
  if (stdTime === null) {
    reasons[at('std_time')] =
      `variant ${label} has ${summary.n} completion time${summary.n === 1 ? '' : 's'}; a standard deviation with n − 1 needs at least 2`;
  }
  return {
    sessions: tally.sessions,
    players: tally.players,
    events: tally.events,
    started: tally.started,
    completed: tally.completed,
    failed: tally.failed,
    repeated: tally.repeated,
    n_times: summary.n,
    mean_time: meanTime,
    std_time: stdTime,
    completion_rate: ratio(
      tally.completed,
      tally.started,
      `variant ${label} has no puzzle_started events`,
      at('completion_rate'),
      reasons,
    ),
    repeat_rate: ratio(
      tally.repeated,
      tally.completed,
      `variant ${label} has no puzzle_completed events`,
      at('repeat_rate'),
      reasons,
    ),
    session_completion_rate: ratio(
      tally.sessionsCompleted,
      tally.sessions,
      `variant ${label} has no sessions`,
      at('session_completion_rate'),
      reasons,
    ),
  };
}

/** Copies a procedure's undefined reasons onto the oracle's field names. */
function copyReasons<K extends string>(
  from: Partial<Record<K, string>>,
  names: Record<K, string>,
  into: Reasons,
): void {
  for (const key of Object.keys(from) as K[]) into[names[key]] = from[key];
}

export function computeOracle(
  rows: readonly EventRow[],
  definitions: AbTestDefinitions = abTestDefinitions,
  benchmark: BenchmarkIdentity = AB_TEST_BENCHMARK,
): Oracle {
  const tally = tallyRows(rows, definitions);
  const reasons: Reasons = {};
  const [tallyA, tallyB] = tally.variants;
  const summaryA = summarise(tallyA);
  const summaryB = summarise(tallyB);
  const A = variantFigures('A', tallyA, summaryA, reasons);
  const B = variantFigures('B', tallyB, summaryB, reasons);
  // The top-level raw_stats fields repeat per-variant figures; their reasons follow them.
  const mirror: Record<string, string> = {
    'variants.A.mean_time': 'mean_a',
    'variants.B.mean_time': 'mean_b',
    'variants.A.std_time': 'std_a',
    'variants.B.std_time': 'std_b',
    'variants.A.completion_rate': 'completion_rate_a',
    'variants.B.completion_rate': 'completion_rate_b',
    'variants.A.repeat_rate': 'repeat_rate_a',
    'variants.B.repeat_rate': 'repeat_rate_b',
  };
  for (const [from, to] of Object.entries(mirror)) if (reasons[from]) reasons[to] = reasons[from];

  const welch = welchTTest(summaryA, summaryB, definitions.ciLevel);
  copyReasons(
    welch.reasons,
    {
      mean_diff: 'mean_diff',
      t: 't_statistic',
      df: 'welch_df',
      p: 'p_value',
      ci_low: 'ci_low',
      ci_high: 'ci_high',
    },
    reasons,
  );
  const d = cohensD(summaryA, summaryB);
  copyReasons(d.reasons, { pooled_sd: 'pooled_sd', d: 'cohens_d' }, reasons);
  const completion = chiSquare2x2(
    [
      [tallyA.completed, tallyB.completed],
      [tallyA.started - tallyA.completed, tallyB.started - tallyB.completed],
    ],
    ['completed', 'not completed'],
    ['A', 'B'],
  );
  copyReasons(completion.reasons, { chi2: 'completion_chi2', p: 'completion_p_value' }, reasons);
  const repeat = twoProportionZTest(
    { successes: tallyA.repeated, trials: tallyA.completed },
    { successes: tallyB.repeated, trials: tallyB.completed },
    { successes: 'repeats', trials: 'completions' },
  );
  copyReasons(repeat.reasons, { z: 'repeat_z', p: 'repeat_p_value' }, reasons);
  const srm = evenSplitChiSquare(tallyA.sessions, tallyB.sessions, 'sessions');
  copyReasons(srm.reasons, { chi2: 'srm_chi2', p: 'srm_p_value' }, reasons);
  const srmEvents = evenSplitChiSquare(tallyA.events, tallyB.events, 'usable events');
  copyReasons(srmEvents.reasons, { chi2: 'srm_chi2_events', p: 'srm_p_value_events' }, reasons);

  const stats = {
    p_value: welch.values.p,
    cohens_d: d.values.d,
    mean_a: A.mean_time,
    mean_b: B.mean_time,
    std_a: A.std_time,
    std_b: B.std_time,
    completion_rate_a: A.completion_rate,
    completion_rate_b: B.completion_rate,
    repeat_rate_a: A.repeat_rate,
    repeat_rate_b: B.repeat_rate,
    srm_p_value: srm.values.p,
    ci_level: definitions.ciLevel,
    t_statistic: welch.values.t,
    welch_df: welch.values.df,
    mean_diff: welch.values.mean_diff,
    ci_low: welch.values.ci_low,
    ci_high: welch.values.ci_high,
    pooled_sd: d.values.pooled_sd,
    completion_chi2: completion.values.chi2,
    completion_p_value: completion.values.p,
    repeat_z: repeat.values.z,
    repeat_p_value: repeat.values.p,
    srm_chi2: srm.values.chi2,
    srm_chi2_events: srmEvents.values.chi2,
    srm_p_value_events: srmEvents.values.p,
  };
  const rowsExcluded =
    tally.excluded.null_variant + tally.excluded.null_session + tally.excluded.unknown_variant;
  return {
    benchmark: benchmark.id,
    benchmark_version: benchmark.version,
    rows_total: tally.rowsTotal,
    rows_used: tally.rowsTotal - rowsExcluded,
    rows_excluded: rowsExcluded,
    excluded: tally.excluded,
    unknown_variants: tally.unknownVariants,
    sessions_in_both_variants: tally.sessionsInBothVariants,
    variants: { A, B },
    ...stats,
    ...decide({ ...stats, undefined_reasons: reasons }, definitions),
    undefined_reasons: reasons,
  };
}
