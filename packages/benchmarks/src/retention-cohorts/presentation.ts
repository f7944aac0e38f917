/**
 * What the page and the CLI show of this benchmark: the notebook sections the task asks for, the
 * required outputs with their captions, the headline figures (oracle vs reported) and the two-word
 * verdict. Plain data and pure functions, read through the benchmark definition.
 */
import type { Figures, NotebookSection } from '../definition.js';
import { summaryFigures } from '../figures.js';
import type { RetentionOracle } from './oracle-types.js';
import { RETENTION_RAW_STAT_FIELDS } from './oracle-types.js';
import { COHORT_HEATMAP_CHART, COHORT_TABLE_FILE, RETENTION_CURVE_CHART } from './task.js';

export const retentionNotebookSections: NotebookSection[] = [
  {
    id: 'setup',
    title: 'Setup & data pull',
    keywords: ['supabase\\.json', 'requests\\.get|pyfetch|urlopen|httpx', 'DataFrame|rows'],
  },
  {
    id: 'data-quality',
    title: 'Definitions & data quality',
    keywords: ['mixed', '\\bSRM\\b|sample ratio', 'chisquare|chi2|chi-square|χ²', 'data[ _]end'],
  },
  {
    id: 'retention',
    title: 'Retention',
    keywords: [
      'eligib',
      'day ?0|day0',
      'z-test|ztest|norm\\.(sf|cdf)|NormalDist',
      'wald|ppf|inv_cdf',
    ],
  },
  { id: 'cohorts', title: 'Cohorts', keywords: ['cohort', 'monday|weekday', 'cohort-table\\.csv'] },
  {
    id: 'visualizations',
    title: 'Visualizations',
    keywords: ['chart-retention-curve\\.png', 'chart-cohort-heatmap\\.png'],
  },
  {
    id: 'conclusion',
    title: 'Conclusion & recommendation',
    keywords: ['summary\\.json', 'recommend', 'json\\.dump'],
  },
];

export const retentionRequiredOutputs = [
  {
    file: 'summary.json',
    kind: 'json',
    description: 'status, recommendation, decision and the 13 raw statistics',
  },
  {
    file: COHORT_TABLE_FILE,
    kind: 'csv',
    description: 'D1/D7/D14 retention per weekly cohort and variant',
    label: 'Cohort table',
  },
  {
    file: RETENTION_CURVE_CHART,
    kind: 'png',
    description: 'retention by day since day 0 (k = 0…14), one line per variant',
    label: 'Retention curve',
  },
  {
    file: COHORT_HEATMAP_CHART,
    kind: 'png',
    description: 'heatmap of cohort retention per variant',
    label: 'Cohort heatmap',
  },
] as const;

const DECISION_FIELDS = ['status', 'recommended_variant'] as const;

/** The oracle's decision, its 13 raw_stats and the rules that decided, for the page and the CLI. */
export function retentionOracleFigures(oracle: RetentionOracle): Figures {
  return {
    decision: { status: oracle.status, recommended_variant: oracle.recommended_variant },
    raw_stats: Object.fromEntries(RETENTION_RAW_STAT_FIELDS.map((f) => [f, oracle[f]])),
    reasons: oracle.decision_reasons,
  };
}

/** The same fields as a run's summary.json reports them. */
export function retentionSummaryFigures(summary: unknown): Figures | null {
  return summaryFigures(summary, DECISION_FIELDS);
}
