import { defineBenchmark } from '../definition.js';
import { SEGMENT_TABLE_COLUMNS } from '../segment-events.js';
import { SUPABASE_MAX_ROWS } from '../task-data-access.js';
import { launchSegmentsDefinitions } from './definitions.js';
import demoReplay from './fixtures/stdlib-replay.json' with { type: 'json' };
import { generateLaunchDataset } from './generator.js';
import {
  LAUNCH_PYTHON_PACKAGES,
  LAUNCH_VERSION,
  launchFiguresOfOracle,
  launchFiguresOfSummary,
  launchNotebookSections,
  launchRequiredOutputs,
  launchScenarioDescriptions,
} from './parts.js';
import { DEFAULT_SCENARIO, isScenarioName, scenarios, SCENARIO_NAMES } from './scenarios.js';
import { launchSegmentsScoring } from './scoring.js';
import { LaunchSummarySchema } from './summary.js';
import { launchSegmentsTask } from './task.js';

/** The `launch-segments` benchmark (issue #13): a non-randomised launch read across platforms. */
export const launchSegmentsBenchmark = defineBenchmark({
  id: 'launch-segments',
  title: 'Launch Read Across Segments',
  description:
    'Judge a non-randomised launch (4 → 5 pineapples) while a campaign moved traffic from mobile to desktop: pooled χ² versus the Mantel–Haenszel odds ratio and CMH test over platforms, two charts and a keep-or-roll-back decision.',
  version: LAUNCH_VERSION,
  suite: 'analysis',
  task: launchSegmentsTask,
  dataAccess: {
    configFile: 'supabase.json',
    table: launchSegmentsDefinitions.table,
    maxRowsPerRequest: SUPABASE_MAX_ROWS,
  },
  requiredOutputs: launchRequiredOutputs,
  notebook: { file: 'analysis.ipynb', sections: launchNotebookSections },
  summarySchema: LaunchSummarySchema,
  pythonPackages: LAUNCH_PYTHON_PACKAGES,
  definitions: launchSegmentsDefinitions,
  dataset: {
    columns: SEGMENT_TABLE_COLUMNS,
    scenarios: [...SCENARIO_NAMES],
    scenarioDescriptions: launchScenarioDescriptions,
    defaultScenario: DEFAULT_SCENARIO,
    defaultSeedOf: (scenario) => {
      if (!isScenarioName(scenario)) throw new RangeError(`unknown scenario "${scenario}"`);
      return scenarios[scenario].defaultSeed;
    },
    generate: (scenario = DEFAULT_SCENARIO, seed) => generateLaunchDataset(scenario, seed),
  },
  scoring: launchSegmentsScoring,
  figures: { ofOracle: launchFiguresOfOracle, ofSummary: launchFiguresOfSummary },
  demoReplay,
});
