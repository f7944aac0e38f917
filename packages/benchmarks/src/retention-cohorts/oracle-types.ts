import type { Stat } from './scorer-link.js';
import type { Variant } from './definitions.js';

/** The horizons' field suffixes, in order: d1, d7, d14. */
export type HorizonKey = 'd1' | 'd7' | 'd14';
export const HORIZON_KEYS: readonly HorizonKey[] = ['d1', 'd7', 'd14'];

export interface VariantRetention {
  /** Non-mixed players with a usable row in this variant, eligible or not (the SRM counts). */
  players: number;
  /** Players eligible for Dk (day 0 + k ≤ data end). */
  eligible: Record<HorizonKey, number>;
  /** Eligible players active exactly on day 0 + k. */
  retained: Record<HorizonKey, number>;
  retention: Record<HorizonKey, Stat>;
}

/** One row of cohort-table.csv: a weekly cohort (by the Monday on or before day 0) and a variant. */
export interface CohortRow {
  cohort_monday: string;
  variant: Variant;
  players: number;
  d1: Stat;
  d7: Stat;
  d14: Stat;
}

/** Retention by day since day 0 (the retention curve), per variant. */
export interface CurvePoint {
  day: number;
  eligible_a: number;
  eligible_b: number;
  retention_a: Stat;
  retention_b: Stat;
}

/** The summary.json raw_stats fields, named as the task names them. */
export const RETENTION_RAW_STAT_FIELDS = [
  'd1_retention_a',
  'd1_retention_b',
  'd7_retention_a',
  'd7_retention_b',
  'd14_retention_a',
  'd14_retention_b',
  'd7_eligible_a',
  'd7_eligible_b',
  'd7_p_value',
  'd7_diff_ci_low',
  'd7_diff_ci_high',
  'srm_p_value',
  'mixed_players',
] as const;
export type RetentionRawStatField = (typeof RETENTION_RAW_STAT_FIELDS)[number];

export type RetentionStatus = 'significant' | 'not_significant' | 'inconclusive';

/** Every figure the retention oracle computes from raw rows and the benchmark's definitions. */
export interface RetentionOracle {
  benchmark: string;
  benchmark_version: string;
  rows_total: number;
  rows_used: number;
  rows_excluded: number;
  /** Each excluded row counted once, under the first rule that matches, in this order. */
  excluded: { null_variant: number; unknown_variant: number; null_player: number };
  /** Variant values other than A and B (their rows are excluded), sorted. */
  unknown_variants: string[];
  /** The earliest and latest activity day of any usable row (ISO dates); null without usable rows. */
  first_day: string | null;
  data_end: string | null;
  variants: Record<Variant, VariantRetention>;

  // The raw_stats fields, named as in summary.json.
  d1_retention_a: Stat;
  d1_retention_b: Stat;
  d7_retention_a: Stat;
  d7_retention_b: Stat;
  d14_retention_a: Stat;
  d14_retention_b: Stat;
  d7_eligible_a: number;
  d7_eligible_b: number;
  d7_p_value: Stat;
  d7_diff_ci_low: Stat;
  d7_diff_ci_high: Stat;
  srm_p_value: Stat;
  mixed_players: number;

  // Detail.
  ci_level: number;
  d7_z: Stat;
  d7_diff: Stat;
  srm_chi2: Stat;
  curve: CurvePoint[];
  cohort_table: CohortRow[];

  status: RetentionStatus;
  recommended_variant: Variant | null;
  decision_reasons: string[];
  undefined_reasons: Partial<Record<string, string>>;
}
