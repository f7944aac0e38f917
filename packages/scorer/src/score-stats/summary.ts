/**
 * Statistics of scores over any set of runs: grouped by the one comparability key, then by model,
 * with paired comparisons for every two models of a group that share trials. Runs that say nothing
 * about a model (environment or harness failures, runs stopped by the user, unscored runs) are left
 * out of every number and listed apart. The CLI's report and the page call this same function.
 */
import {
  describeComparability,
  groupByComparability,
  type Comparability,
} from '../comparability.js';
import type { EndReason } from '../run-folder/run-json.js';
import { BOOTSTRAP_DEFAULTS, type BootstrapOptions } from './bootstrap.js';
import { modelStats, type ModelStats } from './model-stats.js';
import { comparePaired, type PairedComparison } from './paired.js';
import { exclusionOf, modelKey, type ExclusionReason, type ScoreTrial } from './trials.js';

export interface ExcludedTrial {
  runId: string;
  model: string;
  endReason: EndReason;
  reason: ExclusionReason;
  /** The group it would have counted in, when its scorecard says. */
  groupKey: string | null;
}

export interface GroupStats {
  key: string;
  comparability: Comparability;
  description: string;
  /** Best mean first. */
  models: ModelStats[];
  /** Every two models of the group with at least one pair, in the order of `models`. */
  comparisons: PairedComparison[];
  /** Trials of this group left out, by reason. */
  excluded: Record<ExclusionReason, number>;
}

export interface ScoreStats {
  groups: GroupStats[];
  /** Every trial left out, in input order. */
  excluded: ExcludedTrial[];
  bootstrap: Required<BootstrapOptions>;
}

export function scoreStats(
  trials: readonly ScoreTrial[],
  bootstrap: BootstrapOptions = {},
): ScoreStats {
  const options = { ...BOOTSTRAP_DEFAULTS, ...bootstrap };
  // The group each scored trial belongs to, excluded or not, so that exclusions are counted per group.
  const keyOf = new Map<ScoreTrial, string>(
    groupByComparability(
      trials.filter((t) => t.comparability !== null),
      (t) => t.comparability!,
    ).flatMap((g) => g.items.map((t) => [t, g.key] as const)),
  );
  const excluded: ExcludedTrial[] = [];
  const counted: ScoreTrial[] = [];
  for (const trial of trials) {
    const reason = exclusionOf(trial);
    if (reason === null) counted.push(trial);
    else
      excluded.push({
        runId: trial.runId,
        model: modelKey(trial.model),
        endReason: trial.endReason,
        reason,
        groupKey: keyOf.get(trial) ?? null,
      });
  }

  const groups = groupByComparability(counted, (t) => t.comparability!).map((group) => {
    const byModel = new Map<string, ScoreTrial[]>();
    for (const t of group.items)
      byModel.set(modelKey(t.model), [...(byModel.get(modelKey(t.model)) ?? []), t]);
    const models = [...byModel]
      .map(([model, items]) => modelStats(model, items, options))
      .sort((x, y) => y.mean - x.mean || y.n - x.n || (x.model < y.model ? -1 : 1));
    const comparisons: PairedComparison[] = [];
    for (let i = 0; i < models.length; i++) {
      for (let j = i + 1; j < models.length; j++) {
        const a = models[i]!.model;
        const b = models[j]!.model;
        const comparison = comparePaired(
          { model: a, trials: byModel.get(a)! },
          { model: b, trials: byModel.get(b)! },
          options,
        );
        if (comparison.pairs.length > 0) comparisons.push(comparison);
      }
    }
    const count = (reason: ExclusionReason) =>
      excluded.filter((e) => e.groupKey === group.key && e.reason === reason).length;
    return {
      key: group.key,
      comparability: group.comparability,
      description: describeComparability(group.comparability),
      models,
      comparisons,
      excluded: {
        environment: count('environment'),
        interrupted: count('interrupted'),
        unscored: count('unscored'),
      },
    };
  });
  return { groups, excluded, bootstrap: options };
}
