/**
 * One pass over raw event rows: per-variant counts, completion times, and the session and player
 * sets, with the exclusions the benchmark defines. Built for a million rows: typed arrays for the
 * times, one Map entry per session/player, no per-row allocation.
 */
import type { AbTestDefinitions } from '../definitions.js';
import type { EventRow } from '../events.js';

/** Bit flags stored per session: seen in A, seen in B, completed in A, completed in B. */
const SEEN = [1, 2] as const;
const COMPLETED = [4, 8] as const;

export interface VariantTally {
  events: number;
  started: number;
  completed: number;
  failed: number;
  repeated: number;
  /** Completion times of puzzle_completed events with a non-null time; only the first nTimes are used. */
  times: Float64Array;
  nTimes: number;
  sessions: number;
  /** Sessions of this variant with at least one puzzle_completed event in it. */
  sessionsCompleted: number;
  players: number;
}

export interface RowTally {
  rowsTotal: number;
  excluded: { null_variant: number; null_session: number; unknown_variant: number };
  /** Distinct variant values other than the control and treatment, sorted. */
  unknownVariants: string[];
  /** Sessions that carry usable rows of both variants (a randomisation defect). */
  sessionsInBothVariants: number;
  variants: [VariantTally, VariantTally];
}

function emptyVariant(): VariantTally {
  return {
    events: 0,
    started: 0,
    completed: 0,
    failed: 0,
    repeated: 0,
    times: new Float64Array(1024),
    nTimes: 0,
    sessions: 0,
    sessionsCompleted: 0,
    players: 0,
  };
}

/**
 * Bit flags per distinct key (session or player), kept in a typed array indexed through one Map
 * lookup per row: half the Map work of get-then-set, and no object per key.
 */
class KeyFlags {
  private readonly index = new Map<string, number>();
  private flags = new Uint8Array(1024);

  add(key: string, bits: number): void {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.index.size;
      this.index.set(key, i);
      if (i === this.flags.length) {
        const grown = new Uint8Array(i * 2);
        grown.set(this.flags);
        this.flags = grown;
      }
    }
    this.flags[i]! |= bits;
  }

  /** The flags of every key, in first-seen order. */
  values(): Uint8Array {
    return this.flags.subarray(0, this.index.size);
  }
}

function pushTime(tally: VariantTally, time: number): void {
  if (tally.nTimes === tally.times.length) {
    const grown = new Float64Array(tally.times.length * 2);
    grown.set(tally.times);
    tally.times = grown;
  }
  tally.times[tally.nTimes++] = time;
}

/**
 * Exclusion rule: a row is unusable when its variant is null, else when its session_id is null,
 * else when its variant is neither the control nor the treatment; each excluded row is counted once,
 * under the first rule that matches.
 */
export function tallyRows(rows: readonly EventRow[], definitions: AbTestDefinitions): RowTally {
  const { control, treatment, events } = definitions;
  const variants: [VariantTally, VariantTally] = [emptyVariant(), emptyVariant()];
  const excluded = { null_variant: 0, null_session: 0, unknown_variant: 0 };
  const unknownVariants = new Set<string>();
  const sessionFlags = new KeyFlags();
  const playerFlags = new KeyFlags();

  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const variant = row.variant;
    const session = row.session_id;
    if (variant === null) {
      excluded.null_variant++;
      continue;
    }
    if (session === null) {
      excluded.null_session++;
      continue;
    }
    if (variant !== control && variant !== treatment) {
      excluded.unknown_variant++;
      unknownVariants.add(variant);
      continue;
    }
    const v = variant === control ? 0 : 1;
    const tally = variants[v]!;
    tally.events++;
    let flags: number = SEEN[v];
    switch (row.event) {
      case events.started:
        tally.started++;
        break;
      case events.completed:
        tally.completed++;
        flags |= COMPLETED[v];
        if (row.completion_time_seconds !== null) pushTime(tally, row.completion_time_seconds);
        break;
      case events.failed:
        tally.failed++;
        break;
      case events.repeated:
        tally.repeated++;
        break;
    }
    sessionFlags.add(session, flags);
    if (row.distinct_id !== null) playerFlags.add(row.distinct_id, SEEN[v]);
  }

  let sessionsInBothVariants = 0;
  for (const flags of sessionFlags.values()) {
    for (let v = 0; v < 2; v++) {
      if (flags & SEEN[v as 0 | 1]) variants[v]!.sessions++;
      if (flags & COMPLETED[v as 0 | 1]) variants[v]!.sessionsCompleted++;
    }
    if ((flags & 3) === 3) sessionsInBothVariants++;
  }
  for (const flags of playerFlags.values()) {
    if (flags & SEEN[0]) variants[0].players++;
    if (flags & SEEN[1]) variants[1].players++;
  }

  return {
    rowsTotal: rows.length,
    excluded,
    unknownVariants: [...unknownVariants].sort(),
    sessionsInBothVariants,
    variants,
  };
}
