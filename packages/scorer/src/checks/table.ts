import type { CheckId } from '../run-folder/scorecard.js';

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

/** What one check decided. `judged: false`: the evidence cannot exist; `detail` is the reason. */
export interface CheckOutcome {
  pass: boolean;
  detail: string;
  judged?: boolean;
}

/** A check whose evidence cannot exist for this run: neither earns nor loses points. */
export function notJudged(reason: string): CheckOutcome {
  return { pass: false, judged: false, detail: `not judged: ${reason}` };
}

/** The three chart files the benchmark requires, in the article's order. */
export const CHART_FILES = [
  'chart-distribution.png',
  'chart-treatment-effect.png',
  'chart-completion-rates.png',
] as const;
