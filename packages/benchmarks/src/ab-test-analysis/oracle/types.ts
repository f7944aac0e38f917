import type { RawStats } from '../summary.js';
import type { Stat } from '@localds/scorer';

/**
 * A statistic the oracle could not define for these rows (e.g. a t-test with n < 2 in a variant)
 * is `null`, and `undefined_reasons[field]` says why in plain words.
 */
export type { Stat };

export interface VariantFigures {
  /** Distinct session_id values among usable rows of this variant. */
  sessions: number;
  /** Distinct distinct_id values among usable rows of this variant. */
  players: number;
  /** Usable events of this variant (any event type). */
  events: number;
  started: number;
  completed: number;
  failed: number;
  repeated: number;
  /** Completion times used by the primary analysis (puzzle_completed rows with a non-null time). */
  n_times: number;
  mean_time: Stat;
  std_time: Stat;
  completion_rate: Stat;
  repeat_rate: Stat;
  /** The classic mistake, kept as a figure: share of sessions that ever completed a puzzle. */
  session_completion_rate: Stat;
}

/** Every figure the oracle computes from raw rows and the benchmark's definitions. */
export interface Oracle {
  benchmark: string;
  benchmark_version: string;
  rows_total: number;
  /** Rows kept after excluding a null variant or session (and unknown variants). */
  rows_used: number;
  rows_excluded: number;
  /** Why rows were excluded; each row counted once, under the first rule that matches, in this order. */
  excluded: { null_variant: number; null_session: number; unknown_variant: number };
  /** Distinct variant values other than A and B (their rows are excluded), sorted. */
  unknown_variants: string[];
  /** Sessions with usable rows in both variants: a randomisation defect worth a warning. */
  sessions_in_both_variants: number;
  variants: { A: VariantFigures; B: VariantFigures };

  // The raw_stats fields, named as in summary.json.
  p_value: Stat;
  cohens_d: Stat;
  mean_a: Stat;
  mean_b: Stat;
  std_a: Stat;
  std_b: Stat;
  completion_rate_a: Stat;
  completion_rate_b: Stat;
  repeat_rate_a: Stat;
  repeat_rate_b: Stat;
  /** Session-based SRM (the definition). */
  srm_p_value: Stat;

  // Primary analysis detail.
  /** Confidence level of [ci_low, ci_high], the interval on mean_b − mean_a. */
  ci_level: number;
  t_statistic: Stat;
  welch_df: Stat;
  mean_diff: Stat;
  ci_low: Stat;
  ci_high: Stat;
  pooled_sd: Stat;

  // Guardrails.
  completion_chi2: Stat;
  completion_p_value: Stat;
  repeat_z: Stat;
  repeat_p_value: Stat;

  // SRM detail.
  srm_chi2: Stat;
  srm_chi2_events: Stat;
  srm_p_value_events: Stat;

  status: 'significant' | 'not_significant' | 'inconclusive';
  recommended_variant: 'A' | 'B' | null;
  /** One line per rule that decided status and recommendation. */
  decision_reasons: string[];
  undefined_reasons: Partial<Record<string, string>>;
}

/** The raw_stats view of an oracle, for comparisons with summary.json. */
export type OracleRawStats = { [K in keyof RawStats]-?: Stat };
