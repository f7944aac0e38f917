import { abTestDefinitions, type EventRow } from '@localds/benchmarks';
import { pooledD, summaryOf, welchP } from '../two-sample.js';
import type { Figure, WrongDefinition } from '../types.js';

type Unit = 'player' | 'session';

/**
 * Per-variant means of each unit's completion times, over the rows the primary analysis uses
 * (puzzle_completed with a time, in a known variant and a session). A null distinct_id is one
 * player, as pandas' groupby(dropna=False) would have it.
 */
function unitMeans(rows: readonly EventRow[], unit: Unit): { A: number[]; B: number[] } {
  const { control, treatment, events } = abTestDefinitions;
  const groups = {
    A: new Map<string, { sum: number; n: number }>(),
    B: new Map<string, { sum: number; n: number }>(),
  };
  for (const row of rows) {
    const time = row.completion_time_seconds;
    if (row.event !== events.completed || time === null || row.session_id === null) continue;
    const variant = row.variant === control ? 'A' : row.variant === treatment ? 'B' : null;
    if (variant === null) continue;
    const key = unit === 'player' ? String(row.distinct_id) : row.session_id;
    const group = groups[variant].get(key) ?? { sum: 0, n: 0 };
    group.sum += time;
    group.n += 1;
    groups[variant].set(key, group);
  }
  const means = (m: Map<string, { sum: number; n: number }>) =>
    [...m.values()].map((g) => g.sum / g.n);
  return { A: means(groups.A), B: means(groups.B) };
}

function perUnitFigures(rows: readonly EventRow[], unit: Unit): Figure[] {
  const means = unitMeans(rows, unit);
  const a = summaryOf(means.A);
  const b = summaryOf(means.B);
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  const how = `over per-${unit} mean times instead of every completion`;
  return [
    { field: 'mean_a', value: finite(a.mean), how },
    { field: 'mean_b', value: finite(b.mean), how },
    { field: 'std_a', value: finite(Math.sqrt(a.variance)), how },
    { field: 'std_b', value: finite(Math.sqrt(b.variance)), how },
    { field: 'p_value', value: welchP(a, b), how },
    { field: 'cohens_d', value: pooledD(a, b), how },
  ];
}

/** Completion time aggregated to one mean per player (distinct_id) or per session before testing. */
export const perUserMeanTime: WrongDefinition = {
  id: 'per_user_mean_time',
  figures: ({ rows }) => [...perUnitFigures(rows, 'player'), ...perUnitFigures(rows, 'session')],
};
