import { comparabilityKey, type Comparability } from '../comparability.js';

/**
 * A suite's score: several benchmarks judged together (e.g. `analysis`, the four notebook analyses).
 * For one model under one set of conditions — the same scorer version, mode, protocol and Python
 * environment — it is the unweighted mean of each member benchmark's mean score over its trials. It
 * exists only when every member has scored trials there, each member's all in one comparability group
 * (one scenario, one version, one judged total); otherwise the suite says what is missing or mixed.
 */

/** One scored trial as a suite sees it (environment failures and partial runs are not trials). */
export interface SuiteTrial {
  model: string;
  comparability: Comparability;
  /** The scorecard's pct: earned over judged points. */
  pct: number;
}

/** The conditions a suite score holds under: the comparability key without the benchmark's own parts. */
export function suiteConditions(c: Comparability): string {
  const packages = c.packages === 'stdlib-only' ? 'standard library only' : 'full packages';
  return [`scorer ${c.scorerVersion}`, `${c.mode} mode`, `${c.protocol} protocol`, packages].join(
    ' · ',
  );
}

export interface SuiteMemberScore {
  benchmark: string;
  trials: number;
  /** Mean pct over its trials; null when it has none or they span several groups. */
  mean: number | null;
  /** The comparability groups its trials are in (more than one: not a single question). */
  groups: string[];
}

export interface SuiteScore {
  model: string;
  conditions: string;
  members: SuiteMemberScore[];
  /** The unweighted mean of the members' means; null unless every member has one. */
  score: number | null;
  /** Members with no scored trial here. */
  missing: string[];
  /** Members whose trials span several comparability groups (e.g. two scenarios). */
  mixed: string[];
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The suite's score for every model and conditions that has a trial of at least one member. */
export function suiteScores(
  members: readonly string[],
  trials: readonly SuiteTrial[],
): SuiteScore[] {
  const cells = new Map<string, { model: string; conditions: string; trials: SuiteTrial[] }>();
  for (const trial of trials) {
    if (!members.includes(trial.comparability.benchmark.id)) continue;
    const conditions = suiteConditions(trial.comparability);
    const id = JSON.stringify([trial.model, conditions]);
    const cell = cells.get(id) ?? { model: trial.model, conditions, trials: [] };
    cell.trials.push(trial);
    cells.set(id, cell);
  }
  return [...cells.values()].map(({ model, conditions, trials: mine }) => {
    const scores = members.map((benchmark): SuiteMemberScore => {
      const own = mine.filter((t) => t.comparability.benchmark.id === benchmark);
      const groups = [...new Set(own.map((t) => comparabilityKey(t.comparability)))];
      const single = own.length > 0 && groups.length === 1;
      return {
        benchmark,
        trials: own.length,
        mean: single ? mean(own.map((t) => t.pct)) : null,
        groups,
      };
    });
    const missing = scores.filter((m) => m.trials === 0).map((m) => m.benchmark);
    const mixed = scores.filter((m) => m.groups.length > 1).map((m) => m.benchmark);
    const complete = !missing.length && !mixed.length;
    return {
      model,
      conditions,
      members: scores,
      score: complete ? mean(scores.map((m) => m.mean!)) : null,
      missing,
      mixed,
    };
  });
}

/** The suite's score as a person reads it: "83.4", or "incomplete: missing …" / "mixed: …". */
export function describeSuiteScore(suite: SuiteScore): string {
  if (suite.score !== null) return `${Math.round(suite.score * 10) / 10}`;
  const parts = [
    suite.missing.length ? `missing ${suite.missing.join(', ')}` : '',
    suite.mixed.length
      ? `${suite.mixed.join(', ')} ${suite.mixed.length > 1 ? 'have' : 'has'} trials in more than one comparability group`
      : '',
  ].filter(Boolean);
  return `incomplete: ${parts.join('; ')}`;
}
