import { abTestDefinitions } from '../../definitions.js';
import { type EventRow } from '../../events.js';
import { pooledD, summaryOf, welchP } from '../two-sample.js';
import type { Figure, WrongDefinition } from '../types.js';

/** Running sums per key; one array slot per group rather than one object. */
class GroupMeans {
  private readonly index = new Map<string | null, number>();
  private readonly sums: number[] = [];
  private readonly counts: number[] = [];

  add(key: string | null, value: number): void {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.sums.length;
      this.index.set(key, i);
      this.sums.push(0);
      this.counts.push(0);
    }
    this.sums[i]! += value;
    this.counts[i]! += 1;
  }

  means(): number[] {
    return this.sums.map((sum, i) => sum / this.counts[i]!);
  }
}

/**
 * Per-variant means of each player's and each session's completion times, over the rows the primary
 * analysis uses (puzzle_completed with a time, in a known variant and a session), in one pass. A null
 * distinct_id is one player, as pandas' groupby(dropna=False) would have it.
 */
function unitMeans(rows: readonly EventRow[]) {
  const { control, treatment, events } = abTestDefinitions;
  const groups = {
    player: [new GroupMeans(), new GroupMeans()],
    session: [new GroupMeans(), new GroupMeans()],
  } as const;
  for (const row of rows) {
    const time = row.completion_time_seconds;
    if (row.event !== events.completed || time === null || row.session_id === null) continue;
    const v = row.variant === control ? 0 : row.variant === treatment ? 1 : null;
    if (v === null) continue;
    groups.player[v].add(row.distinct_id, time);
    groups.session[v].add(row.session_id, time);
  }
  return groups;
}

function figuresFrom(unit: string, [meansA, meansB]: readonly [GroupMeans, GroupMeans]): Figure[] {
  const a = summaryOf(meansA.means());
  const b = summaryOf(meansB.means());
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
  fields: ['mean_a', 'mean_b', 'std_a', 'std_b', 'p_value', 'cohens_d'],
  figures: ({ rows }) => {
    const groups = unitMeans(rows);
    return [...figuresFrom('player', groups.player), ...figuresFrom('session', groups.session)];
  },
};
