import { abTestDefinitions } from '../definitions.js';
import { type EventRow } from '../events.js';
import { z } from 'zod';
import { computeOracle } from '../oracle/index.js';
import type { View } from './types.js';

/** PostgREST's default `db-max-rows`, the page a run gets when it does not paginate. */
export const DEFAULT_PAGE_ROWS = 1000;
/** Bounds the work: each prefix size costs one oracle. */
const MAX_PREFIXES = 3;

/** The part of the execution trace diagnostics read: how many rows each request got, from which offset. */
export const DiagnosticsTraceSchema = z.looseObject({
  requests: z
    .array(
      z.looseObject({
        rows_returned: z.number().int().nonnegative().nullish(),
        range: z.looseObject({ offset: z.number().int().nonnegative() }).nullish(),
      }),
    )
    .optional(),
});
export type DiagnosticsTrace = z.infer<typeof DiagnosticsTraceSchema>;

/** Rows in id order (the order a paginated read returns); a copy is sorted only when needed. */
function byId(rows: readonly EventRow[]): readonly EventRow[] {
  for (let i = 1; i < rows.length; i++) {
    if (rows[i - 1]!.id > rows[i]!.id) return [...rows].sort((x, y) => x.id - y.id);
  }
  return rows;
}

/** The four ways of keeping one row per (player, session): keep first/last, over all events or completions. */
const DEDUPS = [
  { keep: 'last', what: 'event' },
  { keep: 'first', what: 'event' },
  { keep: 'last', what: 'completion' },
  { keep: 'first', what: 'completion' },
] as const;

/**
 * Bit d of keptBy[i] says row i survives DEDUPS[d]. Nested maps keyed by the rows' own strings avoid
 * building a joined key per row (several times faster at a million rows); Map keeps null apart from
 * "null", as pandas keeps NaN apart from it.
 */
function dedupMasks(ordered: readonly EventRow[]): Uint8Array {
  const completed = abTestDefinitions.events.completed;
  const keptBy = new Uint8Array(ordered.length);
  const pairs = new Map<string | null, Map<string | null, [number, number, number, number]>>();
  ordered.forEach((row, i) => {
    let players = pairs.get(row.session_id);
    if (players === undefined) pairs.set(row.session_id, (players = new Map()));
    // [last event, first event, last completion, first completion]; -1 = none yet.
    let seen = players.get(row.distinct_id);
    if (seen === undefined) players.set(row.distinct_id, (seen = [-1, -1, -1, -1]));
    seen[0] = i;
    if (seen[1] < 0) seen[1] = i;
    if (row.event === completed) {
      seen[2] = i;
      if (seen[3] < 0) seen[3] = i;
    } else {
      keptBy[i] = 0b1100; // completion-only dedups keep every other event
    }
  });
  for (const players of pairs.values()) {
    for (const seen of players.values()) {
      seen.forEach((i, d) => {
        if (i >= 0) keptBy[i]! |= 1 << d;
      });
    }
  }
  return keptBy;
}

/** Row sets left by drop_duplicates(subset=[player, session], keep=…) in id order. */
function dedupViews(rows: readonly EventRow[]): View[] {
  const ordered = byId(rows);
  const keptBy = dedupMasks(ordered);
  return DEDUPS.map(({ keep, what }, d) => {
    const kept = ordered.filter((_, i) => (keptBy[i]! >> d) & 1);
    return {
      rows: kept,
      oracle: computeOracle(kept),
      ids: ['dedup_by_session'],
      how: [
        `after keeping only the ${keep} ${what} per (player, session) (${kept.length} of ${rows.length} rows)`,
      ],
    };
  });
}

/**
 * Prefix sizes a run may have stopped at: one default page, each first-page request's row count, and
 * the rows covered contiguously from the start by all requests (some pages read, not all). A request
 * whose range the sandbox could not read counts as starting at 0, as a plain GET does.
 */
function prefixSizes(total: number, trace: DiagnosticsTrace | undefined): number[] {
  const spans = (trace?.requests ?? [])
    .map((r) => ({ offset: r.range?.offset ?? 0, rows: r.rows_returned ?? 0 }))
    .sort((x, y) => x.offset - y.offset);
  let covered = 0;
  for (const { offset, rows } of spans)
    if (offset <= covered) covered = Math.max(covered, offset + rows);
  const firstPages = spans.filter((s) => s.offset === 0).map((s) => s.rows);
  const sizes = new Set([DEFAULT_PAGE_ROWS, ...firstPages, covered]);
  return [...sizes].filter((n) => n > 0 && n < total).slice(0, MAX_PREFIXES);
}

function firstPageViews(rows: readonly EventRow[], trace: DiagnosticsTrace | undefined): View[] {
  const sizes = prefixSizes(rows.length, trace);
  if (sizes.length === 0) return [];
  const ordered = byId(rows);
  return sizes.map((size) => {
    const page = ordered.slice(0, size);
    return {
      rows: page,
      oracle: computeOracle(page),
      ids: ['first_page_only'],
      how: [`on the first ${size} rows only (of ${rows.length})`],
    };
  });
}

/** Every row set a wrong analysis may have used besides the full one. */
export function transformedViews(
  rows: readonly EventRow[],
  trace: DiagnosticsTrace | undefined,
): View[] {
  return [...dedupViews(rows), ...firstPageViews(rows, trace)];
}
