import { defineBenchmark } from '../definition.js';
import { SEGMENT_TABLE_COLUMNS } from '../segment-events.js';
import { SUPABASE_MAX_ROWS } from '../task-data-access.js';
import { anomalyDaysDefinitions } from './definitions.js';
import demoReplay from './fixtures/stdlib-replay.json' with { type: 'json' };
import { generateAnomalyDataset } from './generator.js';
import {
  ANOMALY_PYTHON_PACKAGES,
  ANOMALY_VERSION,
  anomalyFiguresOfOracle,
  anomalyFiguresOfSummary,
  anomalyNotebookSections,
  anomalyRequiredOutputs,
  anomalyScenarioDescriptions,
} from './parts.js';
import { DEFAULT_SCENARIO, isScenarioName, scenarios, SCENARIO_NAMES } from './scenarios.js';
import { anomalyDaysScoring } from './scoring.js';
import { AnomalySummarySchema } from './summary.js';
import { anomalyDaysTask } from './task.js';

/** The `anomaly-days` benchmark (issue #13): anomalous days against a same-weekday median baseline. */
export const anomalyDaysBenchmark = defineBenchmark({
  id: 'anomaly-days',
  title: 'Anomalous Days',
  description:
    'Flag the anomalous days of thirteen weeks of traffic with a weekly rhythm: remove bots, compare each day with the median of the same weekday one to four weeks before; a tracking outage, a bot and a holiday spike (or nothing) to find.',
  version: ANOMALY_VERSION,
  suite: 'analysis',
  task: anomalyDaysTask,
  dataAccess: {
    configFile: 'supabase.json',
    table: anomalyDaysDefinitions.table,
    maxRowsPerRequest: SUPABASE_MAX_ROWS,
  },
  requiredOutputs: anomalyRequiredOutputs,
  notebook: { file: 'analysis.ipynb', sections: anomalyNotebookSections },
  summarySchema: AnomalySummarySchema,
  pythonPackages: ANOMALY_PYTHON_PACKAGES,
  definitions: anomalyDaysDefinitions,
  dataset: {
    columns: SEGMENT_TABLE_COLUMNS,
    scenarios: [...SCENARIO_NAMES],
    scenarioDescriptions: anomalyScenarioDescriptions,
    defaultScenario: DEFAULT_SCENARIO,
    defaultSeedOf: (scenario) => {
      if (!isScenarioName(scenario)) throw new RangeError(`unknown scenario "${scenario}"`);
      return scenarios[scenario].defaultSeed;
    },
    generate: (scenario = DEFAULT_SCENARIO, seed) => generateAnomalyDataset(scenario, seed),
  },
  scoring: anomalyDaysScoring,
  figures: { ofOracle: anomalyFiguresOfOracle, ofSummary: anomalyFiguresOfSummary },
  demoReplay,
});
