import { z } from 'zod';
import type { RunJson } from './run-folder/run-json.js';
import type { Scorecard } from './run-folder/scorecard.js';

/**
 * What makes two scored runs comparable as trials of one thing. This is the one place that says it:
 * the leaderboard, the compare view, history, statistics of scores and reports all group by this key,
 * and later work extends the key here, never in a view. Two runs share a key only when the same task
 * (benchmark and version) was judged by the same rules (scorer version, mode, the points that could be
 * judged) for a model driven the same way (protocol) in the same Python environment (the benchmark's
 * packages, or the standard library only) on the same kind of data (scenario). Seeds are not in the key:
 * different seeds of a scenario are fresh instances of the same question, i.e. trials.
 */
export const ComparabilitySchema = z.object({
  benchmark: z.object({ id: z.string().min(1), version: z.string() }),
  scorerVersion: z.string(),
  mode: z.enum(['compat', 'full']),
  /** How the model was driven: fenced code blocks in text, or native tool calls. */
  protocol: z.enum(['fenced', 'tools']),
  /** Whether the benchmark's Python packages were available, or only the standard library. */
  packages: z.enum(['full', 'stdlib-only']),
  /** The points that could be judged (a scorecard's judged total); runs judged on less are apart. */
  judgedTotal: z.number().int().nonnegative(),
  /** `canonical`, `srm`, ...; `supabase` for a project's live data; `file` for rows from a file. */
  scenario: z.string().min(1),
});
export type Comparability = z.infer<typeof ComparabilitySchema>;

/** The grouping key: equal keys, comparable runs. Stable text, safe in maps and URLs. */
export function comparabilityKey(c: Comparability): string {
  return [
    `${c.benchmark.id}@${c.benchmark.version}`,
    `scorer ${c.scorerVersion}`,
    c.mode,
    c.protocol,
    c.packages,
    `judged ${c.judgedTotal}`,
    c.scenario,
  ].join(' · ');
}

/** The same key as a person reads it, e.g. "ab-test-analysis 1.0.0 · canonical · full mode · …". */
export function describeComparability(c: Comparability): string {
  const packages = c.packages === 'stdlib-only' ? 'standard library only' : 'full packages';
  return [
    `${c.benchmark.id} ${c.benchmark.version}`,
    c.scenario,
    `${c.mode} mode`,
    `${c.protocol} protocol`,
    packages,
    `scorer ${c.scorerVersion}`,
    `${c.judgedTotal} points judged`,
  ].join(' · ');
}

/** The scenario part of the key for a run's data source (a snapshot's `source` in run.json). */
export function scenarioOfSource(
  source: { kind: 'scenario'; scenario: string } | { kind: 'supabase' } | { kind: 'file' } | null,
): string {
  if (source === null) return 'unknown';
  return source.kind === 'scenario' ? source.scenario : source.kind;
}

/** The keys present in `items`, in first-seen order, with the items of each. */
export function groupByComparability<T>(
  items: readonly T[],
  comparabilityOf: (item: T) => Comparability,
): { comparability: Comparability; key: string; items: T[] }[] {
  const groups = new Map<string, { comparability: Comparability; key: string; items: T[] }>();
  for (const item of items) {
    const comparability = comparabilityOf(item);
    const key = comparabilityKey(comparability);
    const group = groups.get(key) ?? { comparability, key, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * A run folder's comparability from its run.json and a scorecard of it (default: the one run.json
 * holds): protocol absent → fenced, environment absent → full packages, the judged total from the
 * scorecard, the scenario from the data snapshot's source. Null when there is no scorecard.
 */
export function comparabilityOfRun(
  run: RunJson,
  scorecard: Scorecard | null = run.scorecard,
): Comparability | null {
  if (!scorecard) return null;
  return {
    benchmark: run.benchmark,
    scorerVersion: scorecard.scorer_version,
    mode: scorecard.mode,
    protocol: run.protocol ?? 'fenced',
    packages: run.environment?.packages ?? 'full',
    judgedTotal: scorecard.judged,
    scenario: scenarioOfSource(run.data.snapshot?.source ?? null),
  };
}
