import { createRandom } from '@localds/scorer';
import { type EventRow } from '../events.js';

/** Fixed so a full-mode score is reproducible; any seed would do. */
export const COUNTERFACTUAL_SEED = 20261124;

const isAb = (v: string | null): v is 'A' | 'B' => v === 'A' || v === 'B';

/**
 * A deterministic session bootstrap under the null hypothesis: each variant keeps its number of
 * sessions, and each of those sessions is drawn with replacement from the pooled sessions of both
 * variants (whole sessions, so the session/event structure stays) and relabelled to that variant.
 * Where the real data show an effect, the resample has none, so a value that follows the data moves
 * and a hard-coded one does not. Row ids, session ids and player ids are renumbered per copy; rows
 * outside an A/B session (null session or variant) are carried over unchanged.
 */
export function bootstrapResample(rows: readonly EventRow[], seed: number): EventRow[] {
  const random = createRandom(seed);
  const sessions = new Map<string, EventRow[]>();
  const others: EventRow[] = [];
  for (const row of [...rows].sort((x, y) => x.id - y.id)) {
    if (row.session_id === null || !isAb(row.variant)) others.push(row);
    else sessions.set(row.session_id, [...(sessions.get(row.session_id) ?? []), row]);
  }
  const pool = [...sessions.values()];
  const flags = commonFlagResponses(pool);
  const counts = { A: 0, B: 0 };
  for (const session of pool) counts[session[0]!.variant as 'A' | 'B']++;

  type Draft = { row: EventRow; copy: number };
  const drafts: Draft[] = others.map((row) => ({ row, copy: 0 }));
  let copy = 0;
  for (const variant of ['A', 'B'] as const) {
    for (let k = 0; k < counts[variant]; k++) {
      const session = pool[random.int(0, pool.length - 1)]!;
      copy++;
      for (const row of session) {
        drafts.push({
          copy,
          row: {
            ...row,
            variant,
            session_id: `boot-${copy}`,
            distinct_id: row.distinct_id === null ? null : `${row.distinct_id}~${copy}`,
            feature_flag_response:
              row.feature_flag_response === null ? null : (flags[variant] ?? variant),
          },
        });
      }
    }
  }
  drafts.sort(
    (x, y) =>
      Date.parse(x.row.timestamp) - Date.parse(y.row.timestamp) ||
      x.row.id - y.row.id ||
      x.copy - y.copy,
  );
  return drafts.map((d, i) => ({ ...d.row, id: i + 1 }));
}

/** Each variant's most frequent feature_flag_response, so relabelled rows carry a plausible one. */
function commonFlagResponses(pool: EventRow[][]): Partial<Record<'A' | 'B', string>> {
  const tally = new Map<string, number>();
  for (const row of pool.flat()) {
    if (row.feature_flag_response === null) continue;
    const key = `${row.variant}\u0000${row.feature_flag_response}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  const best: Partial<Record<'A' | 'B', [string, number]>> = {};
  for (const [key, n] of [...tally].sort()) {
    const [variant, flag] = key.split('\u0000') as ['A' | 'B', string];
    if (!best[variant] || n > best[variant][1]) best[variant] = [flag, n];
  }
  return { A: best.A?.[0], B: best.B?.[0] };
}
