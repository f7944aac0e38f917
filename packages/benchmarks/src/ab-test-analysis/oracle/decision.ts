/**
 * The benchmark's decision rule, applied to computed statistics:
 * 1. SRM p < srmAlpha (or SRM untestable) → inconclusive, no recommendation.
 * 2. Primary Welch p undefined → inconclusive (the test could not be run, which is not the same as
 *    "no effect"); p ≥ alpha → not_significant, no recommendation.
 * 3. Otherwise significant: recommend the faster variant (lower mean time) unless its completion rate
 *    or repeat rate is significantly worse (guardrail p < alpha in the worse direction), then the other.
 */
import type { AbTestDefinitions } from '../definitions.js';
import type { Stat } from '@localds/scorer';
import type { Oracle } from './types.js';

type DecisionInput = Pick<
  Oracle,
  | 'srm_p_value'
  | 'p_value'
  | 'mean_a'
  | 'mean_b'
  | 'completion_rate_a'
  | 'completion_rate_b'
  | 'completion_p_value'
  | 'repeat_rate_a'
  | 'repeat_rate_b'
  | 'repeat_p_value'
  | 'undefined_reasons'
>;

export type Decision = Pick<Oracle, 'status' | 'recommended_variant' | 'decision_reasons'>;

const fmt = (x: number): string => x.toPrecision(3);

/** True when `mine` is significantly lower than `other` by a guardrail test with p-value `p`. */
function significantlyWorse(mine: Stat, other: Stat, p: Stat, alpha: number): boolean {
  return mine !== null && other !== null && p !== null && p < alpha && mine < other;
}

export function decide(stats: DecisionInput, definitions: AbTestDefinitions): Decision {
  const { alpha, srmAlpha } = definitions;
  if (stats.srm_p_value === null) {
    return inconclusive(
      `SRM cannot be tested: ${stats.undefined_reasons.srm_p_value ?? 'no sessions'}`,
    );
  }
  if (stats.srm_p_value < srmAlpha) {
    return inconclusive(
      `sample ratio mismatch: session SRM p = ${fmt(stats.srm_p_value)} < ${srmAlpha}, so the split is not trustworthy`,
    );
  }
  const srmOk = `no sample ratio mismatch (session SRM p = ${fmt(stats.srm_p_value)} ≥ ${srmAlpha})`;
  if (stats.p_value === null || stats.mean_a === null || stats.mean_b === null) {
    return inconclusive(
      srmOk,
      `the primary t-test is undefined: ${stats.undefined_reasons.p_value ?? 'no data'}`,
    );
  }
  if (stats.p_value >= alpha) {
    return {
      status: 'not_significant',
      recommended_variant: null,
      decision_reasons: [
        srmOk,
        `Welch p = ${fmt(stats.p_value)} ≥ ${alpha}: no significant difference in completion time`,
      ],
    };
  }
  const aFaster = stats.mean_a < stats.mean_b;
  const faster = aFaster ? 'A' : 'B';
  const slower = aFaster ? 'B' : 'A';
  const reasons = [
    srmOk,
    `Welch p = ${fmt(stats.p_value)} < ${alpha}: variant ${faster} is faster (mean ${fmt(aFaster ? stats.mean_a : stats.mean_b)} s vs ${fmt(aFaster ? stats.mean_b : stats.mean_a)} s)`,
  ];
  const pick = <T>(a: T, b: T): [T, T] => (aFaster ? [a, b] : [b, a]);
  const [fasterCompletion, slowerCompletion] = pick(
    stats.completion_rate_a,
    stats.completion_rate_b,
  );
  const [fasterRepeat, slowerRepeat] = pick(stats.repeat_rate_a, stats.repeat_rate_b);
  const blocked: string[] = [];
  if (significantlyWorse(fasterCompletion, slowerCompletion, stats.completion_p_value, alpha)) {
    blocked.push(
      `its completion rate is significantly worse (${fmt(fasterCompletion!)} vs ${fmt(slowerCompletion!)}, χ² p = ${fmt(stats.completion_p_value!)})`,
    );
  }
  if (significantlyWorse(fasterRepeat, slowerRepeat, stats.repeat_p_value, alpha)) {
    blocked.push(
      `its repeat rate is significantly worse (${fmt(fasterRepeat!)} vs ${fmt(slowerRepeat!)}, z-test p = ${fmt(stats.repeat_p_value!)})`,
    );
  }
  if (blocked.length > 0) {
    reasons.push(
      `guardrail: variant ${faster} is not recommended because ${blocked.join(' and ')}; recommending ${slower}`,
    );
    return { status: 'significant', recommended_variant: slower, decision_reasons: reasons };
  }
  reasons.push(
    `guardrails hold for variant ${faster} (completion and repeat rates not significantly worse)`,
  );
  return { status: 'significant', recommended_variant: faster, decision_reasons: reasons };
}

function inconclusive(...reasons: string[]): Decision {
  return { status: 'inconclusive', recommended_variant: null, decision_reasons: reasons };
}
