/**
 * One pass over raw event rows: the usable rows grouped by player, with each player's variant,
 * activity days and day 0, and the exclusion counts. The oracle and the diagnostics both start here,
 * so a wrong definition is always computed on the same cleaned rows as the right one.
 */
import type { RetentionRow as EventRow } from './events.js';
import { parseTimestamptz, utcDay } from './days.js';
import type { Variant } from './definitions.js';

export interface PlayerActivity {
  id: string;
  /** Null for a mixed player (usable rows in both variants). */
  variant: Variant | null;
  /** Sorted distinct activity days (UTC day numbers). */
  days: number[];
  day0: number;
}

export interface UsableRow {
  row: EventRow;
  variant: Variant;
  player: string;
  at: number;
}

export interface PlayerTable {
  rowsTotal: number;
  excluded: { null_variant: number; unknown_variant: number; null_player: number };
  unknownVariants: string[];
  /** Usable rows in input order, with their parsed instant. */
  usable: UsableRow[];
  /** Every player with a usable row, mixed ones included, in first-seen order. */
  players: PlayerActivity[];
  mixedPlayers: number;
  /** Earliest and latest activity day of any usable row; null without usable rows. */
  firstDay: number | null;
  dataEnd: number | null;
}

/**
 * Usable rows: variant "A" or "B" and a non-null distinct_id. Excluded rows are counted once under the
 * first rule that matches: null variant, then another variant value, then a null distinct_id.
 * A usable row whose timestamp is not a timestamptz is bad input and stops with its id named.
 */
export function playerTable(rows: readonly EventRow[]): PlayerTable {
  const excluded = { null_variant: 0, unknown_variant: 0, null_player: 0 };
  const unknown = new Set<string>();
  const usable: UsableRow[] = [];
  const byPlayer = new Map<string, { bits: number; days: Set<number> }>();
  let firstDay: number | null = null;
  let dataEnd: number | null = null;

  for (const row of rows) {
    const variant = row.variant;
    if (variant === null) {
      excluded.null_variant++;
      continue;
    }
    if (variant !== 'A' && variant !== 'B') {
      excluded.unknown_variant++;
      unknown.add(variant);
      continue;
    }
    if (row.distinct_id === null) {
      excluded.null_player++;
      continue;
    }
    const at = parseTimestamptz(row.timestamp);
    if (at === null) {
      throw new RangeError(
        `row ${row.id}: timestamp "${row.timestamp}" is not a timestamp with a time zone (e.g. 2026-10-01T09:15:02.123+00:00)`,
      );
    }
    const day = utcDay(at);
    usable.push({ row, variant, player: row.distinct_id, at });
    let entry = byPlayer.get(row.distinct_id);
    if (!entry) {
      entry = { bits: 0, days: new Set() };
      byPlayer.set(row.distinct_id, entry);
    }
    entry.bits |= variant === 'A' ? 1 : 2;
    entry.days.add(day);
    if (firstDay === null || day < firstDay) firstDay = day;
    if (dataEnd === null || day > dataEnd) dataEnd = day;
  }

  const players: PlayerActivity[] = [];
  let mixedPlayers = 0;
  for (const [id, { bits, days }] of byPlayer) {
    const sorted = [...days].sort((a, b) => a - b);
    const variant = bits === 1 ? 'A' : bits === 2 ? 'B' : null;
    if (variant === null) mixedPlayers++;
    players.push({ id, variant, days: sorted, day0: sorted[0]! });
  }
  return {
    rowsTotal: rows.length,
    excluded,
    unknownVariants: [...unknown].sort(),
    usable,
    players,
    mixedPlayers,
    firstDay,
    dataEnd,
  };
}
