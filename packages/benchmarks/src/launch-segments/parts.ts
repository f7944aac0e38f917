import { launchSegmentsDefinitions as d } from './definitions.js';
import type { LaunchOracle } from './oracle.js';
import { scenarios, SCENARIO_NAMES } from './scenarios.js';
import { LAUNCH_RAW_STAT_FIELDS } from './summary.js';

/**
 * The parts of the `launch-segments` definition that do not depend on #11's benchmark unit, ready to
 * be assembled by `defineBenchmark` when it lands: outputs, notebook sections, scenario lines, figures.
 */
export const LAUNCH_VERSION = '1.0.0';
export const LAUNCH_PYTHON_PACKAGES = [
  'pandas',
  'numpy',
  'scipy',
  'statsmodels',
  'matplotlib',
  'requests',
];
export const LAUNCH_CHART_FILES = ['chart-rates-by-segment.png', 'chart-segment-mix.png'] as const;

export const launchRequiredOutputs = [
  {
    file: 'summary.json',
    kind: 'json' as const,
    description: 'status, direction, recommendation, decision and raw statistics',
    label: 'Summary',
  },
  {
    file: LAUNCH_CHART_FILES[0],
    kind: 'png' as const,
    description: 'completion rate per period and platform, and pooled',
    label: 'Completion rate by segment',
  },
  {
    file: LAUNCH_CHART_FILES[1],
    kind: 'png' as const,
    description: "each period's platform mix",
    label: 'Segment mix',
  },
];

export const launchNotebookSections = [
  {
    id: 'setup',
    title: 'Setup & data pull',
    keywords: ['supabase\\.json', 'requests\\.get|pyfetch|urlopen|httpx', 'offset|Range'],
  },
  {
    id: 'data-quality',
    title: 'Data quality',
    keywords: ['platform', 'isna|isnull|dropna|notna|null|None', 'session_id'],
  },
  { id: 'segment-mix', title: 'Segment mix', keywords: ['mix|share', 'mobile', 'desktop'] },
  {
    id: 'pooled',
    title: 'Pooled comparison',
    keywords: ['chi2_contingency|chi-square|χ²', 'correction\\s*=\\s*False'],
  },
  {
    id: 'stratified',
    title: 'Stratified analysis',
    keywords: [
      'StratifiedTable|Mantel|Haenszel',
      'test_null_odds|CMH|Cochran',
      'confint|confidence interval|\\bCI\\b',
    ],
  },
  {
    id: 'visualizations',
    title: 'Visualizations',
    keywords: ['chart-rates-by-segment\\.png', 'chart-segment-mix\\.png'],
  },
  {
    id: 'conclusion',
    title: 'Conclusion & recommendation',
    keywords: ['summary\\.json', 'roll_back|keep', 'json\\.dump'],
  },
];

export const launchScenarioDescriptions: Record<string, string> = Object.fromEntries(
  SCENARIO_NAMES.map((name) => [name, scenarios[name].description]),
);

/** The figures shape of #11 (decision fields, numeric raw_stats, the oracle's reasons). */
export interface FiguresShape {
  decision: Record<string, string | null>;
  raw_stats: Record<string, number | null>;
  reasons?: string[];
}

export function launchFiguresOfOracle(oracle: LaunchOracle): FiguresShape {
  const s = oracle.raw_stats;
  const g = (x: number | null) => (x === null ? 'null' : String(Number(x.toPrecision(4))));
  return {
    decision: {
      status: oracle.status,
      direction: oracle.direction,
      recommendation: oracle.recommendation,
    },
    raw_stats: { ...s },
    reasons: [
      `periods cut at ${d.launchInstant}; ${oracle.usable_rows} usable rows`,
      `pooled rate ${g(s.pooled_rate_before)} → ${g(s.pooled_rate_after)} (χ² p = ${g(s.pooled_p_value)}): confounded by the platform mix`,
      `Mantel–Haenszel OR ${g(s.mh_odds_ratio)} [${g(s.mh_ci_low)}, ${g(s.mh_ci_high)}], CMH p = ${g(s.cmh_p_value)} over ${oracle.strata.join(' and ') || 'no platform'}`,
      oracle.status === 'significant'
        ? `CMH p < ${d.alpha} and OR ${oracle.direction === 'worse' ? '< 1' : '> 1'} → ${oracle.recommendation}`
        : `CMH p not below ${d.alpha} (or undefined) → not significant`,
    ],
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The same fields from a run's summary.json; null when it is not an object. */
export function launchFiguresOfSummary(summary: unknown): FiguresShape | null {
  if (!isObject(summary)) return null;
  const raw = isObject(summary.raw_stats) ? summary.raw_stats : {};
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    decision: {
      status: text(summary.status),
      direction: text(summary.direction),
      recommendation: text(summary.recommendation),
    },
    raw_stats: Object.fromEntries(
      LAUNCH_RAW_STAT_FIELDS.map((k) => [
        k,
        typeof raw[k] === 'number' && Number.isFinite(raw[k]) ? raw[k] : null,
      ]),
    ),
  };
}
