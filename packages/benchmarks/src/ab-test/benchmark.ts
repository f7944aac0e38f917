import { defineBenchmark, type NotebookSection } from '../definition.js';
import { SummarySchema } from '../summary.js';
import { abTestDefinitions } from './definitions.js';
import { generateDataset } from './generator.js';
import { DEFAULT_SCENARIO, isScenarioName, SCENARIO_NAMES } from './scenarios.js';
import { abTestTask, MAX_ROWS_PER_REQUEST } from './task.js';

/** The parts the task asks the notebook to have; the scorer reports them as notes. */
export const abTestNotebookSections: NotebookSection[] = [
  {
    id: 'setup',
    title: 'Setup & data pull',
    keywords: ['supabase\\.json', 'requests\\.get|pyfetch|urlopen|httpx', 'DataFrame'],
  },
  {
    id: 'sanity-checks',
    title: 'Metric definitions & sanity checks',
    keywords: [
      '\\bSRM\\b|sample ratio',
      'chisquare|chi2|chi-square|χ²',
      'isna|isnull|dropna|notna|null',
    ],
  },
  {
    id: 'primary',
    title: 'Primary analysis',
    keywords: [
      'ttest_ind|welch',
      'equal_var\\s*=\\s*False',
      'confidence interval|\\bCI\\b',
      'cohen',
    ],
  },
  {
    id: 'guardrails',
    title: 'Guardrail analysis',
    keywords: [
      'chi2_contingency|chi-square|χ²',
      'correction\\s*=\\s*False',
      'repeat',
      'z-test|ztest|norm\\.(sf|cdf)',
    ],
  },
  {
    id: 'visualizations',
    title: 'Visualizations',
    keywords: [
      'chart-distribution\\.png',
      'chart-treatment-effect\\.png',
      'chart-completion-rates\\.png',
      'savefig',
    ],
  },
  {
    id: 'conclusion',
    title: 'Conclusion & recommendation',
    keywords: ['summary\\.json', 'recommend', 'json\\.dump'],
  },
];

/**
 * The `ab-test-analysis` benchmark. Its version is bumped by hand; test/version.test.ts pins a
 * fingerprint of the task text, the definitions and every scenario's default dataset to it, so
 * any change to those fails until the version (and the pinned fingerprint) are bumped together.
 */
export const abTestBenchmark = defineBenchmark({
  id: 'ab-test-analysis',
  title: 'A/B Test Production Analysis',
  description:
    'Analyse a live A/B test of the Pineapple Finder memory game (4 vs 5 pineapples) from raw event rows in Supabase: SRM, Welch t-test with CI and Cohen’s d, completion- and repeat-rate guardrails, three charts and a structured recommendation.',
  version: '1.0.0',
  task: abTestTask,
  dataAccess: {
    configFile: 'supabase.json',
    table: abTestDefinitions.table,
    maxRowsPerRequest: MAX_ROWS_PER_REQUEST,
  },
  requiredOutputs: [
    {
      file: 'summary.json',
      kind: 'json',
      description: 'status, recommendation and raw statistics (SummarySchema)',
    },
    {
      file: 'chart-distribution.png',
      kind: 'png',
      description: 'completion-time distribution per variant',
    },
    {
      file: 'chart-treatment-effect.png',
      kind: 'png',
      description: 'mean difference B − A with its 95% confidence interval',
    },
    {
      file: 'chart-completion-rates.png',
      kind: 'png',
      description: 'attempt-level completion rate per variant',
    },
  ],
  notebook: { file: 'analysis.ipynb', sections: abTestNotebookSections },
  summarySchema: SummarySchema,
  pythonPackages: ['pandas', 'scipy', 'matplotlib', 'requests'],
  definitions: abTestDefinitions,
  dataset: {
    scenarios: [...SCENARIO_NAMES],
    defaultScenario: DEFAULT_SCENARIO,
    generate: (scenario = DEFAULT_SCENARIO, seed) => {
      if (!isScenarioName(scenario)) {
        throw new RangeError(`unknown scenario "${scenario}"; known: ${SCENARIO_NAMES.join(', ')}`);
      }
      return generateDataset(scenario, seed);
    },
  },
});
