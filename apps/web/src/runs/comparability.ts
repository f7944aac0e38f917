import { isEnvironmentFailure, type Comparability } from '@localds/scorer';
import type { RunRecord } from '../storage/run-record.js';

/**
 * The scenario part of a record's comparability: the data source when it was not a scenario (a live
 * project, a file), else the scenario (the run's own, or the one its oracle came from).
 */
export function recordScenario(run: RunRecord): string {
  if (run.dataSource && run.dataSource !== 'scenario') return run.dataSource;
  if (run.scenario) return run.scenario;
  return run.oracleSource.kind === 'scenario' ? run.oracleSource.scenario : 'unknown';
}

/**
 * The page's one derivation of a stored run's comparability (the key itself lives in the scorer):
 * protocol absent → fenced, environment absent → full packages, judged total from the scorecard.
 * Null for a run without a scorecard.
 */
export function recordComparability(run: RunRecord): Comparability | null {
  const card = run.scorecard;
  if (!card) return null;
  return {
    benchmark: run.benchmark,
    scorerVersion: card.scorer_version,
    mode: card.mode,
    protocol: run.protocol,
    packages: run.environment?.packages ?? 'full',
    judgedTotal: card.judged,
    scenario: recordScenario(run),
  };
}

/** Whether the run ended because the environment or harness failed: never a model's score. */
export function isEnvironmentRun(run: RunRecord): boolean {
  return run.endReason !== null && isEnvironmentFailure(run.endReason);
}

/** A run that counts as a trial of its model: finished, scored, and not lost to the environment. */
export function countsAsTrial(run: RunRecord): boolean {
  return run.state === 'complete' && run.scorecard !== null && !isEnvironmentRun(run);
}
