import { pairKey } from '../storage/vote-record.js';
import { arenaModel, type Contestant } from './contestant.js';

export type PairPick =
  | { ok: true; left: Contestant; right: Contestant; remaining: number }
  | { ok: false; reason: string };

/**
 * Two runs of one prompt by different models, in random sides, from the pairs with no vote yet
 * (`voted` holds pairKey of every voted pair). Every such pair is equally likely. `remaining` counts
 * the unvoted pairs, this one included.
 */
export function pickPair(
  contestants: readonly Contestant[],
  voted: ReadonlySet<string>,
  random: () => number = Math.random,
): PairPick {
  // One entry per run id: the same run imported twice is still one run.
  const runs = [...new Map(contestants.map((c) => [c.runId, c])).values()];
  const models = new Set(runs.map(arenaModel));
  if (runs.length === 0) {
    return { ok: false, reason: 'There are no runs of this prompt with a file to watch yet.' };
  }
  if (models.size < 2) {
    return {
      ok: false,
      reason: `Every run of this prompt is by ${[...models][0]}: a vote needs runs by two different models.`,
    };
  }
  const open: [Contestant, Contestant][] = [];
  for (let a = 0; a < runs.length; a++) {
    for (let b = a + 1; b < runs.length; b++) {
      const [x, y] = [runs[a]!, runs[b]!];
      if (arenaModel(x) === arenaModel(y)) continue;
      if (!voted.has(pairKey(x.runId, y.runId))) open.push([x, y]);
    }
  }
  if (open.length === 0) {
    return {
      ok: false,
      reason:
        'You have voted on every pair of runs by different models for this prompt. New runs make new pairs.',
    };
  }
  const [x, y] = open[Math.floor(random() * open.length)]!;
  const [left, right] = random() < 0.5 ? [x, y] : [y, x];
  return { ok: true, left, right, remaining: open.length };
}
