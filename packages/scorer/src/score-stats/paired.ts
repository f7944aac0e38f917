/**
 * Paired comparison of two models within one comparability group. A pair is one trial of each model
 * on the same (benchmark, scenario, dataset seed, trial index): the same question asked the same
 * number of times, so the difference cancels how hard that instance was. Trials that cannot be
 * paired are listed with the reason and left out; nothing unpaired is mixed into the paired numbers.
 */
import { mean } from '../stats/moments.js';
import { bootstrapMeanInterval, type BootstrapOptions, type Interval } from './bootstrap.js';
import { exactMcNemar, type McNemarResult } from './mcnemar.js';
import type { ScoreTrial } from './trials.js';
import { wilcoxonSignedRank, type WilcoxonResult } from './wilcoxon.js';

export type UnpairedReason =
  /** Written before run.json had trial_index. */
  | 'no trial index'
  /** Rows from a Supabase project or a file: no seed says two runs saw the same data. */
  | 'no dataset seed'
  /** The other model has no trial with this key. */
  | 'no partner'
  /** The model has more than one trial with this key, so which one pairs is not defined. */
  | 'repeated pair key';

export interface UnpairedTrial {
  model: string;
  runId: string;
  reason: UnpairedReason;
}

export interface TrialPair {
  key: string;
  seed: number;
  trialIndex: number;
  a: { runId: string; pct: number };
  b: { runId: string; pct: number };
  /** a − b in score points. */
  diff: number;
}

export interface PairedComparison {
  a: string;
  b: string;
  /** Ordered by seed, then trial index (the order the bootstrap resamples). */
  pairs: TrialPair[];
  unpaired: UnpairedTrial[];
  /** Mean of a − b over the pairs; null without pairs. */
  meanDiff: number | null;
  interval: Interval;
  wilcoxon: WilcoxonResult;
  /** Exact McNemar per check, over the pairs where both scorecards judged it. */
  checks: ({ id: string; n: number } & McNemarResult)[];
}

/** The pair key of a scored trial, or why it has none. */
export function pairKeyOf(
  trial: ScoreTrial,
): { key: string; seed: number; trialIndex: number } | { reason: UnpairedReason } {
  if (trial.trialIndex === null) return { reason: 'no trial index' };
  if (trial.seed === null) return { reason: 'no dataset seed' };
  const c = trial.comparability;
  const where = c ? `${c.benchmark.id}@${c.benchmark.version} · ${c.scenario}` : 'unscored';
  return {
    key: `${where} · seed ${trial.seed} · trial ${trial.trialIndex}`,
    seed: trial.seed,
    trialIndex: trial.trialIndex,
  };
}

interface Keyed {
  byKey: Map<string, { trial: ScoreTrial; seed: number; trialIndex: number }>;
  unpaired: UnpairedTrial[];
}

function keyed(model: string, trials: readonly ScoreTrial[]): Keyed {
  const all = new Map<string, { trial: ScoreTrial; seed: number; trialIndex: number }[]>();
  const unpaired: UnpairedTrial[] = [];
  for (const trial of trials) {
    const key = pairKeyOf(trial);
    if ('reason' in key) unpaired.push({ model, runId: trial.runId, reason: key.reason });
    else all.set(key.key, [...(all.get(key.key) ?? []), { trial, ...key }]);
  }
  const byKey = new Map<string, { trial: ScoreTrial; seed: number; trialIndex: number }>();
  for (const [key, entries] of all) {
    if (entries.length === 1) byKey.set(key, entries[0]!);
    else
      for (const entry of entries)
        unpaired.push({ model, runId: entry.trial.runId, reason: 'repeated pair key' });
  }
  return { byKey, unpaired };
}

/** Pairs the trials of models a and b (each scored, one group) and compares them. */
export function comparePaired(
  a: { model: string; trials: readonly ScoreTrial[] },
  b: { model: string; trials: readonly ScoreTrial[] },
  bootstrap: BootstrapOptions = {},
): PairedComparison {
  const left = keyed(a.model, a.trials);
  const right = keyed(b.model, b.trials);
  const pairs: (TrialPair & {
    checksA: Record<string, boolean>;
    checksB: Record<string, boolean>;
  })[] = [];
  const unpaired = [...left.unpaired, ...right.unpaired];
  for (const [key, x] of left.byKey) {
    const y = right.byKey.get(key);
    if (!y) {
      unpaired.push({ model: a.model, runId: x.trial.runId, reason: 'no partner' });
      continue;
    }
    pairs.push({
      key,
      seed: x.seed,
      trialIndex: x.trialIndex,
      a: { runId: x.trial.runId, pct: x.trial.pct! },
      b: { runId: y.trial.runId, pct: y.trial.pct! },
      diff: x.trial.pct! - y.trial.pct!,
      checksA: x.trial.checks,
      checksB: y.trial.checks,
    });
  }
  for (const [key, y] of right.byKey) {
    if (!left.byKey.has(key))
      unpaired.push({ model: b.model, runId: y.trial.runId, reason: 'no partner' });
  }
  pairs.sort((p, q) => p.seed - q.seed || p.trialIndex - q.trialIndex || (p.key < q.key ? -1 : 1));
  const diffs = pairs.map((p) => p.diff);
  const checkIds = [...new Set(pairs.flatMap((p) => Object.keys(p.checksA)))];
  const checks = checkIds.map((id) => {
    const judged = pairs
      .filter((p) => id in p.checksA && id in p.checksB)
      .map((p) => [p.checksA[id]!, p.checksB[id]!] as const);
    return { id, n: judged.length, ...exactMcNemar(judged) };
  });
  return {
    a: a.model,
    b: b.model,
    pairs: pairs.map(({ checksA: _a, checksB: _b, ...pair }) => pair),
    unpaired,
    meanDiff: diffs.length ? mean(diffs) : null,
    interval: bootstrapMeanInterval(diffs, bootstrap),
    wilcoxon: wilcoxonSignedRank(
      pairs.map((p) => p.a.pct),
      pairs.map((p) => p.b.pct),
    ),
    checks,
  };
}
