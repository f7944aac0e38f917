export * from './definition.js';
export * from './dataset-format.js';
export * from './figures.js';
export * from './registry.js';
export * from './table.js';
// Each benchmark's own exports, for its tests, fixtures scripts and callers that need its types.
export * from './ab-test-analysis/index.js';
export * from './retention-cohorts/index.js';
// #13's notebook benchmarks.
export * from './segment-events.js';
export * from './launch-segments/definitions.js';
export * from './launch-segments/summary.js';
export * from './launch-segments/generator.js';
export * from './launch-segments/oracle.js';
export { launchSegmentsTask } from './launch-segments/task.js';
export {
  SCENARIO_NAMES as LAUNCH_SCENARIO_NAMES,
  scenarios as launchScenarios,
} from './launch-segments/scenarios.js';
export * from './anomaly-days/definitions.js';
export * from './anomaly-days/summary.js';
export * from './anomaly-days/generator.js';
export * from './anomaly-days/oracle.js';
export { anomalyDaysTask } from './anomaly-days/task.js';
export {
  SCENARIO_NAMES as ANOMALY_SCENARIO_NAMES,
  scenarios as anomalyScenarios,
} from './anomaly-days/scenarios.js';
export * from './launch-segments/checks.js';
export * from './launch-segments/diagnostics.js';
export {
  ANOMALY_CHECKS,
  checkAnomalySummary,
  parseAnomaliesCsv,
  type AnomalyChecks,
  type AnomalyCheckId,
  type GradedOutcome,
} from './anomaly-days/checks.js';
export {
  ANOMALY_DIAGNOSTIC_IDS,
  anomalyDiagnostics,
  f1,
  globalZscoreDays,
  ZSCORE_THRESHOLDS,
  type AnomalyDiagnostic,
  type AnomalyDiagnosticId,
} from './anomaly-days/diagnostics.js';
export * from './visual/index.js';
