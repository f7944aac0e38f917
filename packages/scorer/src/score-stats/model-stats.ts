/** One model's scores within one comparability group: mean and its interval, pass^k, check pass rates. */
import { mean, sampleVariance } from '../stats/moments.js';
import { bootstrapMeanInterval, type BootstrapOptions, type Interval } from './bootstrap.js';
import { passHatK } from './pass-k.js';
import type { ScoreTrial } from './trials.js';

export interface CheckRate {
  id: string;
  passed: number;
  /** Trials whose scorecard judged this check. */
  n: number;
  rate: number;
}

export interface ModelStats {
  model: string;
  scripted: boolean;
  n: number;
  runIds: string[];
  /** Scores in trial order (as given). */
  scores: number[];
  mean: number;
  /** Sample SD (n − 1); null for one trial. */
  sd: number | null;
  min: number;
  max: number;
  /** Trials that scored 100. */
  perfect: number;
  interval: Interval;
  passK: { k: number; value: number }[];
  checks: CheckRate[];
}

/**
 * The bootstrap interval of a model's mean score, resampled from its scores in ascending order: the
 * interval then depends on the scores alone, never on the order the runs were read in (folders on
 * disk, the page's history), so the report and the page agree for the same runs.
 */
export function meanScoreInterval(
  scores: readonly number[],
  bootstrap: BootstrapOptions = {},
): Interval {
  return bootstrapMeanInterval(
    [...scores].sort((x, y) => x - y),
    bootstrap,
  );
}

/** Statistics of `trials`, all of one model in one group, each with a score (see exclusionOf). */
export function modelStats(
  model: string,
  trials: readonly ScoreTrial[],
  bootstrap: BootstrapOptions = {},
): ModelStats {
  const scores = trials.map((t) => t.pct!);
  const n = scores.length;
  const perfect = scores.filter((s) => s === 100).length;
  const checkIds = [...new Set(trials.flatMap((t) => Object.keys(t.checks)))];
  const variance = sampleVariance(scores);
  return {
    model,
    scripted: trials[0]?.model.scripted ?? false,
    n,
    runIds: trials.map((t) => t.runId),
    scores,
    mean: mean(scores),
    sd: Number.isNaN(variance) ? null : Math.sqrt(variance),
    min: Math.min(...scores),
    max: Math.max(...scores),
    perfect,
    interval: meanScoreInterval(scores, bootstrap),
    passK: passHatK(perfect, n),
    checks: checkIds.map((id) => {
      const judged = trials.filter((t) => id in t.checks);
      const passed = judged.filter((t) => t.checks[id]).length;
      return { id, passed, n: judged.length, rate: passed / judged.length };
    }),
  };
}
