/**
 * The usual wrong retention definitions, each computed on the same usable rows as the right one, so
 * that a run's reported figure can be explained ("you divided by every player, not the eligible
 * ones"). Each returns the raw_stats fields it changes; the diagnostics compare them with the run's.
 */
import type { RetentionRow as EventRow } from './events.js';
import { DAY_MS, parseTimestamptz, utcDay } from './days.js';
import { retentionDefinitions, type Variant } from './definitions.js';
import { retainedAt, waldDifference } from './oracle.js';
import type { HorizonKey, RetentionRawStatField } from './oracle-types.js';
import { HORIZON_KEYS } from './oracle-types.js';
import { playerTable, type PlayerActivity, type PlayerTable } from './players.js';
import { evenSplitChiSquare, twoProportionZTest, type Stat } from './scorer-link.js';

export type WrongFigures = Partial<Record<RetentionRawStatField, Stat>>;

const horizons = retentionDefinitions.horizons;
const share = (n: number, d: number): Stat => (d === 0 ? null : n / d);

function byVariant<T extends { variant: Variant | null }>(
  items: readonly T[],
): Record<Variant, T[]> {
  const out: Record<Variant, T[]> = { A: [], B: [] };
  for (const item of items) if (item.variant) out[item.variant].push(item);
  return out;
}

/** Rates, the D7 test and its interval from per-variant (retained, denominator) counts at each horizon. */
function figuresFrom(
  counts: (variant: Variant, k: number) => { retained: number; eligible: number },
): WrongFigures {
  const out: WrongFigures = {};
  HORIZON_KEYS.forEach((key: HorizonKey, i) => {
    for (const v of ['A', 'B'] as const) {
      const c = counts(v, horizons[i]!);
      out[`${key}_retention_${v.toLowerCase()}` as RetentionRawStatField] = share(
        c.retained,
        c.eligible,
      );
    }
  });
  const a = counts('A', 7);
  const b = counts('B', 7);
  out.d7_eligible_a = a.eligible;
  out.d7_eligible_b = b.eligible;
  out.d7_p_value = twoProportionZTest(
    { successes: a.retained, trials: a.eligible },
    { successes: b.retained, trials: b.eligible },
    { successes: 'retained', trials: 'players' },
  ).values.p;
  const wald = waldDifference(a, b, retentionDefinitions.ciLevel);
  out.d7_diff_ci_low = wald.low;
  out.d7_diff_ci_high = wald.high;
  return out;
}

/** `censored_in_denominator`: every player of the variant as the denominator, eligible or not. */
export function censoredInDenominator(table: PlayerTable): WrongFigures {
  const groups = byVariant(table.players);
  const end = table.dataEnd ?? -Infinity;
  const figures = figuresFrom((v, k) => ({
    retained: retainedAt(groups[v], k, end).retained,
    eligible: groups[v].length,
  }));
  return figures;
}

/** `unbounded_retention`: retained at Dk when active on any day ≥ day 0 + k (eligible players). */
export function unboundedRetention(table: PlayerTable): WrongFigures {
  const groups = byVariant(table.players);
  const end = table.dataEnd ?? -Infinity;
  return figuresFrom((v, k) => {
    let eligible = 0;
    let retained = 0;
    for (const p of groups[v]) {
      if (p.day0 + k > end) continue;
      eligible++;
      if (p.days[p.days.length - 1]! >= p.day0 + k) retained++;
    }
    return { retained, eligible };
  });
}

/**
 * `rolling_24h_windows`: day k is the k-th 24-hour window after the player's first event, not a UTC
 * calendar day; eligible when that window has started by the latest event of any usable row.
 */
export function rolling24hWindows(table: PlayerTable): WrongFigures {
  const instants = new Map<string, { variant: Variant | null; times: number[] }>();
  const variantOf = new Map(table.players.map((p) => [p.id, p.variant]));
  let lastInstant = -Infinity;
  for (const u of table.usable) {
    lastInstant = Math.max(lastInstant, u.at);
    let entry = instants.get(u.player);
    if (!entry)
      instants.set(u.player, (entry = { variant: variantOf.get(u.player) ?? null, times: [] }));
    entry.times.push(u.at);
  }
  const players = byVariant([...instants.values()]);
  return figuresFrom((v, k) => {
    let eligible = 0;
    let retained = 0;
    for (const p of players[v]) {
      const t0 = Math.min(...p.times);
      if (t0 + k * DAY_MS > lastInstant) continue;
      eligible++;
      if (p.times.some((t) => Math.floor((t - t0) / DAY_MS) === k)) retained++;
    }
    return { retained, eligible };
  });
}

/**
 * `session_level_retention`: the session (`session_id`) taken as the unit instead of the player: each
 * session's day 0 is its first activity day, sessions in both variants dropped.
 */
export function sessionLevelRetention(table: PlayerTable): WrongFigures {
  const sessions = new Map<string, { bits: number; days: Set<number> }>();
  for (const u of table.usable) {
    const id = u.row.session_id;
    if (id === null) continue;
    let entry = sessions.get(id);
    if (!entry) sessions.set(id, (entry = { bits: 0, days: new Set() }));
    entry.bits |= u.variant === 'A' ? 1 : 2;
    entry.days.add(utcDay(u.at));
  }
  const units: PlayerActivity[] = [];
  let mixed = 0;
  for (const [id, { bits, days }] of sessions) {
    if (bits === 3) {
      mixed++;
      continue;
    }
    const sorted = [...days].sort((a, b) => a - b);
    units.push({ id, variant: bits === 1 ? 'A' : 'B', days: sorted, day0: sorted[0]! });
  }
  const groups = byVariant(units);
  const end = table.dataEnd ?? -Infinity;
  return {
    ...figuresFrom((v, k) => retainedAt(groups[v], k, end)),
    // The same unit everywhere: sessions in both variants as "mixed", the split tested on sessions.
    mixed_players: mixed,
    srm_p_value: evenSplitChiSquare(groups.A.length, groups.B.length, 'sessions').values.p,
  };
}

/** `srm_on_eligible_only`: the SRM test on D7-eligible players instead of every non-mixed player. */
export function srmOnEligibleOnly(table: PlayerTable): WrongFigures {
  const groups = byVariant(table.players);
  const end = table.dataEnd ?? -Infinity;
  const a = retainedAt(groups.A, 7, end).eligible;
  const b = retainedAt(groups.B, 7, end).eligible;
  return { srm_p_value: evenSplitChiSquare(a, b, 'eligible players').values.p };
}

/** The rows a run that read only the first page saw: the first `size` rows in id order. */
export function firstRows(rows: readonly EventRow[], size: number): EventRow[] {
  return [...rows].sort((x, y) => x.id - y.id).slice(0, size);
}

export { playerTable, parseTimestamptz };
