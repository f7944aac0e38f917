import { anomalyDaysDefinitions as d } from './definitions.js';
import type { AnomalyOracle } from './oracle.js';
import { scenarios, SCENARIO_NAMES } from './scenarios.js';
import type { FiguresShape } from '../launch-segments/parts.js';

/**
 * The parts of the `anomaly-days` definition that do not depend on #11's benchmark unit, ready to be
 * assembled by `defineBenchmark` when it lands.
 */
export const ANOMALY_VERSION = '1.0.0';
export const ANOMALY_PYTHON_PACKAGES = ['pandas', 'numpy', 'matplotlib', 'requests'];
export const ANOMALY_CHART_FILES = ['chart-daily-counts.png'] as const;

export const anomalyRequiredOutputs = [
  {
    file: 'summary.json',
    kind: 'json' as const,
    description: 'anomalies, bot_ids and raw statistics',
    label: 'Summary',
  },
  {
    file: 'anomalies.csv',
    kind: 'csv' as const,
    description: 'the anomalous days, one row each',
    label: 'Anomalous days',
  },
  {
    file: ANOMALY_CHART_FILES[0],
    kind: 'png' as const,
    description: 'daily counts, the baseline and the flagged days',
    label: 'Daily counts',
  },
];

export const anomalyNotebookSections = [
  {
    id: 'setup',
    title: 'Setup & data pull',
    keywords: ['supabase\\.json', 'requests\\.get|pyfetch|urlopen|httpx', 'offset|Range'],
  },
  {
    id: 'data-quality',
    title: 'Data quality',
    keywords: ['bot', 'distinct_id', 'isna|isnull|dropna|notna|null|None'],
  },
  {
    id: 'counts',
    title: 'Daily counts and baselines',
    keywords: ['median', 'date_range|timedelta|reindex', 'shift|- ?7|lag'],
  },
  { id: 'anomalies', title: 'Anomalies', keywords: ['0\\.35', 'drop', 'spike'] },
  { id: 'visualizations', title: 'Visualizations', keywords: ['chart-daily-counts\\.png'] },
  {
    id: 'conclusion',
    title: 'Conclusion',
    keywords: ['summary\\.json', 'anomalies\\.csv', 'json\\.dump'],
  },
];

export const anomalyScenarioDescriptions: Record<string, string> = Object.fromEntries(
  SCENARIO_NAMES.map((name) => [name, scenarios[name].description]),
);

export function anomalyFiguresOfOracle(oracle: AnomalyOracle): FiguresShape {
  return {
    decision: {
      anomalies: oracle.anomalies.map((a) => `${a.date} ${a.type}`).join(', ') || 'none',
      bots: String(oracle.bot_ids.length),
    },
    raw_stats: { ...oracle.raw_stats },
    reasons: [
      `${oracle.first_date ?? '—'} to ${oracle.last_date ?? '—'}: ${oracle.raw_stats.days_evaluated} day(s) evaluated from day ${d.firstEvaluatedDay}`,
      `${oracle.bot_ids.length} bot(s) above ${d.botRowsPerDay} rows a day, ${oracle.raw_stats.bot_rows} rows excluded`,
      ...oracle.anomalies.map(
        (a) =>
          `${a.date}: ${a.count} vs baseline ${a.baseline} (r = ${a.ratio === null ? 'null' : a.ratio.toFixed(3)}) → ${a.type}`,
      ),
    ],
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function anomalyFiguresOfSummary(summary: unknown): FiguresShape | null {
  if (!isObject(summary)) return null;
  const raw = isObject(summary.raw_stats) ? summary.raw_stats : {};
  const list = Array.isArray(summary.anomalies) ? summary.anomalies.filter(isObject) : null;
  return {
    decision: {
      anomalies:
        list === null
          ? null
          : list.map((a) => `${String(a.date)} ${String(a.type)}`).join(', ') || 'none',
      bots: Array.isArray(summary.bot_ids) ? String(summary.bot_ids.length) : null,
    },
    raw_stats: Object.fromEntries(
      ['days_evaluated', 'anomaly_count', 'usable_rows', 'bot_rows'].map((k) => [
        k,
        typeof raw[k] === 'number' && Number.isFinite(raw[k]) ? raw[k] : null,
      ]),
    ),
  };
}
