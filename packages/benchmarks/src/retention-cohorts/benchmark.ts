import { defineBenchmark } from '../definition.js';
import demoReplay from './fixtures/stdlib-replay.json' with { type: 'json' };
import { retentionDefinitions } from './definitions.js';
import { RETENTION_MAX_ROWS_PER_REQUEST, RETENTION_TABLE_COLUMNS } from './events.js';
import { generateRetentionDataset } from './generator.js';
import { RETENTION_ID, RETENTION_VERSION } from './identity.js';
import { formatRetentionOracleText } from './oracle-text.js';
import {
  retentionNotebookSections,
  retentionOracleFigures,
  retentionRequiredOutputs,
  retentionSummaryFigures,
} from './presentation.js';
import {
  isRetentionScenarioName,
  RETENTION_DEFAULT_SCENARIO,
  RETENTION_SCENARIO_NAMES,
  retentionScenarios,
} from './scenarios.js';
import { retentionScoring } from './scoring.js';
import { RetentionSummarySchema } from './summary.js';
import { retentionTask } from './task.js';

const known = RETENTION_SCENARIO_NAMES.join(', ');

/**
 * `retention-cohorts` (issue #12): player retention with censoring on a per-player experiment. Its
 * version is bumped by hand; test/version.test.ts pins a fingerprint of the task, the definitions and
 * every scenario's default dataset to it.
 */
export const retentionBenchmark = defineBenchmark({
  id: RETENTION_ID,
  title: 'Player Retention with Censoring',
  description:
    'Does a streak reward bring Pineapple Finder players back? From raw events in Supabase: eligibility under censoring, D1/D7/D14 retention, a pooled z-test with a Wald interval on D7, SRM, weekly cohorts, two charts and a recommendation.',
  version: RETENTION_VERSION,
  suite: 'analysis',
  task: retentionTask,
  dataAccess: {
    configFile: 'supabase.json',
    table: retentionDefinitions.table,
    maxRowsPerRequest: RETENTION_MAX_ROWS_PER_REQUEST,
  },
  requiredOutputs: [...retentionRequiredOutputs],
  notebook: { file: 'analysis.ipynb', sections: retentionNotebookSections },
  summarySchema: RetentionSummarySchema,
  pythonPackages: ['pandas', 'scipy', 'matplotlib', 'requests'],
  definitions: retentionDefinitions,
  dataset: {
    columns: RETENTION_TABLE_COLUMNS,
    scenarios: [...RETENTION_SCENARIO_NAMES],
    scenarioDescriptions: Object.fromEntries(
      RETENTION_SCENARIO_NAMES.map((name) => [name, retentionScenarios[name].description]),
    ),
    defaultScenario: RETENTION_DEFAULT_SCENARIO,
    defaultSeedOf: (scenario) => {
      if (!isRetentionScenarioName(scenario))
        throw new RangeError(`unknown scenario "${scenario}"; known: ${known}`);
      return retentionScenarios[scenario].defaultSeed;
    },
    generate: (scenario = RETENTION_DEFAULT_SCENARIO, seed) => {
      if (!isRetentionScenarioName(scenario))
        throw new RangeError(`unknown scenario "${scenario}"; known: ${known}`);
      return generateRetentionDataset(scenario, seed);
    },
  },
  scoring: retentionScoring,
  figures: { ofOracle: retentionOracleFigures, ofSummary: retentionSummaryFigures },
  oracleText: formatRetentionOracleText,
  demoReplay,
});
