/**
 * The one shape statistics of scores read: a run reduced to what the statistics need. The CLI builds
 * it from run.json (`scoreTrialOfRunJson`), the page from its stored records, so both compute the same
 * numbers with the same code.
 */
import { comparabilityOfRun, type Comparability } from '../comparability.js';
import { isEnvironmentFailure, type EndReason, type RunJson } from '../run-folder/run-json.js';

export interface ScoreTrial {
  runId: string;
  model: { name: string; scripted: boolean };
  /** Null when the run has no scorecard. */
  comparability: Comparability | null;
  endReason: EndReason;
  /** The dataset seed (null for a Supabase project or a file: no seed to match on). */
  seed: number | null;
  /** 1-based trial index from run.json; null on runs written before it existed. */
  trialIndex: number | null;
  /** The scorecard's percentage; null when unscored. */
  pct: number | null;
  /** Pass/fail of each check the scorecard judged, by check id (checks not judged are absent). */
  checks: Record<string, boolean>;
}

export function scoreTrialOfRunJson(run: RunJson): ScoreTrial {
  const source = run.data.snapshot?.source;
  return {
    runId: run.run_id,
    model: { name: run.model.name, scripted: run.scripted },
    comparability: comparabilityOfRun(run),
    endReason: run.end_reason,
    seed: source?.kind === 'scenario' ? source.seed : null,
    trialIndex: run.trial_index ?? null,
    pct: run.scorecard?.pct ?? null,
    checks: Object.fromEntries(
      Object.entries(run.scorecard?.checks ?? {})
        .filter(([, check]) => check.judged)
        .map(([id, check]) => [id, check.pass]),
    ),
  };
}

/** A model as the statistics name it: scripted replays are never mixed with the live model's runs. */
export function modelKey(model: ScoreTrial['model']): string {
  return model.scripted ? `${model.name} (scripted)` : model.name;
}

/**
 * Why a trial says nothing about its model, or null when it counts: an environment or harness
 * failure, a run stopped by the user, or a run without a score.
 */
export type ExclusionReason = 'environment' | 'interrupted' | 'unscored';

export function exclusionOf(trial: ScoreTrial): ExclusionReason | null {
  if (isEnvironmentFailure(trial.endReason)) return 'environment';
  if (trial.endReason === 'aborted') return 'interrupted';
  if (trial.pct === null || trial.comparability === null) return 'unscored';
  return null;
}
