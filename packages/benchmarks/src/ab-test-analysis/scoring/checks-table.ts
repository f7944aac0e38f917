import type { CheckOutcome } from '@localds/scorer';

/** The twelve check ids, in the article's order (its CHECKS table). */
export const CHECK_IDS = [
  'summary_valid',
  'data_access',
  'data_quality',
  'srm_test',
  'hypothesis_tests',
  'p_value',
  'cohens_d',
  'completion_rates',
  'charts_exist',
  'charts_labeled',
  'recommended_variant',
  'decision_grounded',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** The article's CHECKS table: id, label and points, in its order (100 points in all). */
export const CHECK_TABLE: readonly { id: CheckId; label: string; max: number }[] = [
  { id: 'summary_valid', label: 'summary.json valid', max: 5 },
  { id: 'data_access', label: 'Data accessed from Supabase', max: 15 },
  { id: 'data_quality', label: 'Data quality checks in notebook', max: 5 },
  { id: 'srm_test', label: 'SRM test performed', max: 5 },
  { id: 'hypothesis_tests', label: 'Hypothesis tests (t-test + chi²)', max: 10 },
  { id: 'p_value', label: 'p_value accuracy', max: 10 },
  { id: 'cohens_d', label: "Cohen's d accuracy", max: 10 },
  { id: 'completion_rates', label: 'Completion rates match oracle', max: 10 },
  { id: 'charts_exist', label: '3 chart files exist', max: 10 },
  { id: 'charts_labeled', label: 'Charts have labels and titles', max: 5 },
  { id: 'recommended_variant', label: 'recommended_variant correct', max: 10 },
  { id: 'decision_grounded', label: 'Decision cites specific data', max: 5 },
];

/** The three chart files the benchmark requires, in the article's order. */
export const CHART_FILES = [
  'chart-distribution.png',
  'chart-treatment-effect.png',
  'chart-completion-rates.png',
] as const;

/** The compat outcomes of every check. */
export type CheckOutcomes = Record<CheckId, CheckOutcome>;
