import type { RunRecord } from '../storage/run-record.js';

/** Score statistics over repeated trials of one model (the leaderboard and compare view). */
export interface TrialStats {
  n: number;
  best: number;
  mean: number;
  /** Sample standard deviation of the percentages (0 for one trial). */
  sd: number;
  min: number;
  /** Trials that scored 100%: "k of N at 100" (pass^k-style reliability, not just best-of). */
  perfect: number;
}

export function trialStats(pcts: readonly number[]): TrialStats | null {
  if (pcts.length === 0) return null;
  const n = pcts.length;
  const mean = pcts.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? pcts.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return {
    n,
    best: Math.max(...pcts),
    mean,
    sd: Math.sqrt(variance),
    min: Math.min(...pcts),
    perfect: pcts.filter((p) => p === 100).length,
  };
}

/**
 * Scores are comparable only within one benchmark id+version, one scorer version and one mode
 * (compat and full judge the same checks on different evidence), so groups are keyed by all four.
 */
export function comparabilityKey(run: RunRecord): string | null {
  const card = run.scorecard;
  if (!card) return null;
  return `${run.benchmark.id}@${run.benchmark.version} · scorer ${card.scorer_version} · ${card.mode}`;
}

/** One model's scored trials within one comparability group. */
export interface TrialGroup {
  key: string;
  model: string;
  scripted: boolean;
  stats: TrialStats;
}

/** Scored runs grouped by comparability, then by model (scripted kept apart), in first-seen order. */
export function trialGroups(runs: readonly RunRecord[]): TrialGroup[] {
  const groups = new Map<string, Omit<TrialGroup, 'stats'> & { pcts: number[] }>();
  for (const run of runs) {
    const key = comparabilityKey(run);
    if (!key || !run.scorecard) continue;
    const id = `${key}|${run.scripted}|${run.model.name}`;
    const g = groups.get(id) ?? { key, model: run.model.name, scripted: run.scripted, pcts: [] };
    g.pcts.push(run.scorecard.pct);
    groups.set(id, g);
  }
  return [...groups.values()].map(({ pcts, ...g }) => ({ ...g, stats: trialStats(pcts)! }));
}

export type LeaderboardRow = Omit<TrialGroup, 'key'>;

export interface LeaderboardGroup {
  key: string;
  rows: LeaderboardRow[];
}

/** Complete runs' trial groups, one table per comparability key, best mean first. */
export function leaderboard(runs: readonly RunRecord[]): LeaderboardGroup[] {
  const tables = new Map<string, LeaderboardRow[]>();
  for (const { key, ...row } of trialGroups(runs.filter((r) => r.state === 'complete'))) {
    tables.set(key, [...(tables.get(key) ?? []), row]);
  }
  return [...tables]
    .map(([key, rows]) => ({
      key,
      rows: rows.sort((a, b) => b.stats.mean - a.stats.mean || b.stats.best - a.stats.best),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

export const formatPct = (value: number) => `${Math.round(value * 10) / 10}`;
