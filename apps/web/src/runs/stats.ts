import { groupByComparability, type Comparability } from '@localds/scorer';
import { meanScoreInterval, passHatK, type Interval } from '@localds/scorer/score-stats';
import type { RunRecord } from '../storage/run-record.js';
import { countsAsTrial, recordComparability } from './comparability.js';

/** Score statistics over repeated trials of one model (the leaderboard and compare view). */
export interface TrialStats {
  n: number;
  best: number;
  mean: number;
  /** Sample standard deviation of the percentages (0 for one trial). */
  sd: number;
  min: number;
  /** Trials that scored 100%: "k of N at 100". */
  perfect: number;
  /** The mean's 95% bootstrap interval, as the report computes it ("n too small" below 3 trials). */
  interval: Interval;
  /** pass^k for k = 1 … n: the chance that k trials all score 100, estimated without bias. */
  passK: { k: number; value: number }[];
}

export function trialStats(pcts: readonly number[]): TrialStats | null {
  if (pcts.length === 0) return null;
  const n = pcts.length;
  const mean = pcts.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? pcts.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  const perfect = pcts.filter((p) => p === 100).length;
  return {
    n,
    best: Math.max(...pcts),
    mean,
    sd: Math.sqrt(variance),
    min: Math.min(...pcts),
    perfect,
    interval: meanScoreInterval(pcts),
    passK: passHatK(perfect, n),
  };
}

/** One model's scored trials within one comparability group. */
export interface TrialGroup {
  key: string;
  comparability: Comparability;
  model: string;
  scripted: boolean;
  stats: TrialStats;
  /** The record ids of the trials (for a link to compare them). */
  recordIds: string[];
}

/**
 * Trials grouped by the scorer's comparability key, then by model (scripted kept apart), in first-seen
 * order. Only runs that count as trials: unscored, partial and environment-failure runs are left out.
 */
export function trialGroups(runs: readonly RunRecord[]): TrialGroup[] {
  const scored = runs.filter(countsAsTrial);
  const out: TrialGroup[] = [];
  for (const group of groupByComparability(scored, (r) => recordComparability(r)!)) {
    const byModel = new Map<string, RunRecord[]>();
    for (const run of group.items) {
      const id = `${run.scripted}|${run.model.name}`;
      byModel.set(id, [...(byModel.get(id) ?? []), run]);
    }
    for (const trials of byModel.values()) {
      out.push({
        key: group.key,
        comparability: group.comparability,
        model: trials[0]!.model.name,
        scripted: trials[0]!.scripted,
        stats: trialStats(trials.map((r) => r.scorecard!.pct))!,
        recordIds: trials.map((r) => r.id),
      });
    }
  }
  return out;
}

export type LeaderboardRow = Omit<TrialGroup, 'key' | 'comparability'>;

export interface LeaderboardGroup {
  key: string;
  comparability: Comparability;
  rows: LeaderboardRow[];
}

/** Trial groups, one table per comparability key, best mean first. */
export function leaderboard(runs: readonly RunRecord[]): LeaderboardGroup[] {
  const tables = new Map<string, LeaderboardGroup>();
  for (const { key, comparability, ...row } of trialGroups(runs)) {
    const table = tables.get(key) ?? { key, comparability, rows: [] };
    table.rows.push(row);
    tables.set(key, table);
  }
  return [...tables.values()]
    .map((t) => ({
      ...t,
      rows: t.rows.sort((a, b) => b.stats.mean - a.stats.mean || b.stats.best - a.stats.best),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

export const formatPct = (value: number) => `${Math.round(value * 10) / 10}`;
