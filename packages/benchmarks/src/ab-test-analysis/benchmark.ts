import { defineBenchmark } from '../definition.js';
import demoReplay from './demo-replay.json' with { type: 'json' };
import { abTestDefinitions } from './definitions.js';
import { EVENT_TABLE_COLUMNS } from './events.js';
import { abTestOracleFigures, abTestSummaryFigures } from './figures.js';
import { generateDataset } from './generator.js';
import { AB_TEST_ID, AB_TEST_VERSION } from './identity.js';
import { DEFAULT_SCENARIO, isScenarioName, scenarios, SCENARIO_NAMES } from './scenarios.js';
import { abTestScoring } from './scoring/index.js';
import { isFullOracle } from './scoring/oracle-like.js';
import { formatOracleText } from './oracle/text.js';
import { abTestNotebookSections } from './sections.js';
import { SummarySchema } from './summary.js';
import { abTestTask, MAX_ROWS_PER_REQUEST } from './task.js';

/**
 * The `ab-test-analysis` benchmark. Its version is bumped by hand; test/version.test.ts pins a
 * fingerprint of the task text, the definitions and every scenario's default dataset to it, so
 * any change to those fails until the version (and the pinned fingerprint) are bumped together.
 */
export const abTestBenchmark = defineBenchmark({
  id: AB_TEST_ID,
  title: 'A/B Test Production Analysis',
  description:
    'Analyse a live A/B test of the Pineapple Finder memory game (4 vs 5 pineapples) from raw event rows in Supabase: SRM, Welch t-test with CI and Cohen’s d, completion- and repeat-rate guardrails, three charts and a structured recommendation.',
  version: AB_TEST_VERSION,
  suite: 'analysis',
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
      label: 'Summary',
    },
    {
      file: 'chart-distribution.png',
      kind: 'png',
      description: 'completion-time distribution per variant',
      label: 'Completion-time distribution',
    },
    {
      file: 'chart-treatment-effect.png',
      kind: 'png',
      description: 'mean difference B − A with its 95% confidence interval',
      label: 'Treatment effect with 95% CI',
    },
    {
      file: 'chart-completion-rates.png',
      kind: 'png',
      description: 'attempt-level completion rate per variant',
      label: 'Completion rates',
    },
  ],
  notebook: { file: 'analysis.ipynb', sections: abTestNotebookSections },
  summarySchema: SummarySchema,
  pythonPackages: ['pandas', 'scipy', 'matplotlib', 'requests'],
  definitions: abTestDefinitions,
  dataset: {
    columns: EVENT_TABLE_COLUMNS,
    scenarios: [...SCENARIO_NAMES],
    scenarioDescriptions: Object.fromEntries(
      SCENARIO_NAMES.map((name) => [name, scenarios[name].description]),
    ),
    defaultScenario: DEFAULT_SCENARIO,
    defaultSeedOf: (scenario) => {
      if (!isScenarioName(scenario)) throw new RangeError(`unknown scenario "${scenario}"`);
      return scenarios[scenario].defaultSeed;
    },
    generate: (scenario = DEFAULT_SCENARIO, seed) => {
      if (!isScenarioName(scenario)) {
        throw new RangeError(`unknown scenario "${scenario}"; known: ${SCENARIO_NAMES.join(', ')}`);
      }
      return generateDataset(scenario, seed);
    },
  },
  scoring: abTestScoring,
  oracleText: (oracle, source) =>
    isFullOracle(oracle) ? formatOracleText(oracle, source) : JSON.stringify(oracle, null, 2),
  figures: { ofOracle: abTestOracleFigures, ofSummary: abTestSummaryFigures },
  demoReplay,
});
