/**
 * The counterfactual's resample for retention: a deterministic player bootstrap under the null
 * hypothesis. Each variant keeps its number of (non-mixed) players, and each of those is drawn with
 * replacement from the pooled players of both variants, whole (every row, so activity days and the
 * data end stay), and relabelled to that variant. Where the real data show a difference in retention
 * the resample has none, so a figure that follows the data moves and a typed-in one does not. Row,
 * player and session ids are renumbered per copy; unusable rows and mixed players' rows are carried
 * over unchanged (they keep the exclusions and the data end as they were).
 */
import type { RetentionRow as EventRow } from './events.js';
import { createRandom } from '@localds/scorer';
import { parseTimestamptz } from './days.js';

export function retentionResample(rows: readonly EventRow[], seed: number): EventRow[] {
  const random = createRandom(seed);
  const byPlayer = new Map<string, EventRow[]>();
  const others: EventRow[] = [];
  for (const row of [...rows].sort((x, y) => x.id - y.id)) {
    if (row.distinct_id === null || (row.variant !== 'A' && row.variant !== 'B')) others.push(row);
    else byPlayer.set(row.distinct_id, [...(byPlayer.get(row.distinct_id) ?? []), row]);
  }
  const pool: EventRow[][] = [];
  for (const playerRows of byPlayer.values()) {
    if (new Set(playerRows.map((r) => r.variant)).size === 1) pool.push(playerRows);
    else others.push(...playerRows);
  }
  const counts = { A: 0, B: 0 };
  for (const player of pool) counts[player[0]!.variant as 'A' | 'B']++;

  type Draft = { row: EventRow; at: number; copy: number };
  const at = (row: EventRow) => parseTimestamptz(row.timestamp) ?? 0;
  const drafts: Draft[] = others.map((row) => ({ row, at: at(row), copy: 0 }));
  let copy = 0;
  for (const variant of ['A', 'B'] as const) {
    for (let k = 0; k < counts[variant] && pool.length > 0; k++) {
      const player = pool[random.int(0, pool.length - 1)]!;
      copy++;
      for (const row of player) {
        drafts.push({
          copy,
          at: at(row),
          row: {
            ...row,
            variant,
            feature_flag_response: row.feature_flag_response === null ? null : variant,
            distinct_id: `${row.distinct_id}~${copy}`,
            session_id: row.session_id === null ? null : `${row.session_id}~${copy}`,
          },
        });
      }
    }
  }
  drafts.sort((x, y) => x.at - y.at || x.row.id - y.row.id || x.copy - y.copy);
  return drafts.map((d, i) => ({ ...d.row, id: i + 1 }));
}
