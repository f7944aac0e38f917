/**
 * Which usual wrong definitions a run's reported raw_stats follow. A field is explained only when the
 * run's value is off the oracle's and within the match tolerance of a wrong definition's value on the
 * same rows that the right value is not (the scorer's followsWrongBetter rule, shared with the A/B
 * benchmark). Mistakes combine: a wrong definition on the first page only, or given as a percentage.
 */
import type { RetentionRow as EventRow } from './events.js';
import { computeRetentionOracle } from './oracle.js';
import {
  RETENTION_RAW_STAT_FIELDS,
  type RetentionOracle,
  type RetentionRawStatField,
} from './oracle-types.js';
import { playerTable, type PlayerTable } from './players.js';
import { followsWrongBetter, mayFollowWrong, type Stat } from './scorer-link.js';
import {
  censoredInDenominator,
  firstRows,
  rolling24hWindows,
  sessionLevelRetention,
  srmOnEligibleOnly,
  unboundedRetention,
  type WrongFigures,
} from './wrong-definitions.js';

export const RETENTION_DIAGNOSTIC_IDS = [
  'censored_in_denominator',
  'unbounded_retention',
  'rolling_24h_windows',
  'session_level_retention',
  'srm_on_eligible_only',
  'rates_as_percent',
  'first_page_only',
] as const;
export type RetentionDiagnosticId = (typeof RETENTION_DIAGNOSTIC_IDS)[number];

export interface RetentionDiagnostic {
  id: RetentionDiagnosticId;
  field: RetentionRawStatField;
  message: string;
  reported: number;
  expected: Stat;
  wrong: number;
}

/** PostgREST's default page: what a run that never paginates receives. */
export const RETENTION_PAGE_ROWS = 1000;

const DEFINITIONS: readonly {
  id: RetentionDiagnosticId;
  how: string;
  figures: (table: PlayerTable) => WrongFigures;
}[] = [
  {
    id: 'censored_in_denominator',
    how: 'dividing by every player of the variant, including those who joined too recently to be observed at day k',
    figures: censoredInDenominator,
  },
  {
    id: 'unbounded_retention',
    how: 'counting players active on or after day 0 + k instead of exactly on it',
    figures: unboundedRetention,
  },
  {
    id: 'rolling_24h_windows',
    how: 'counting days as 24-hour windows from the first event instead of UTC calendar dates',
    figures: rolling24hWindows,
  },
  {
    id: 'session_level_retention',
    how: 'taking the session (session_id) as the unit instead of the player',
    figures: sessionLevelRetention,
  },
  {
    id: 'srm_on_eligible_only',
    how: 'testing the split of D7-eligible players only instead of every non-mixed player',
    figures: srmOnEligibleOnly,
  },
];

/** Fields a percentage can show in: rates and the interval on their difference. */
const PERCENT_FIELDS = new Set<RetentionRawStatField>([
  'd1_retention_a',
  'd1_retention_b',
  'd7_retention_a',
  'd7_retention_b',
  'd14_retention_a',
  'd14_retention_b',
  'd7_diff_ci_low',
  'd7_diff_ci_high',
]);

/** The right definition of each field, in the words a message uses. */
const RIGHT: Record<RetentionRawStatField, string> = {
  d1_retention_a: 'D1 retention over eligible players',
  d1_retention_b: 'D1 retention over eligible players',
  d7_retention_a: 'D7 retention over eligible players',
  d7_retention_b: 'D7 retention over eligible players',
  d14_retention_a: 'D14 retention over eligible players',
  d14_retention_b: 'D14 retention over eligible players',
  d7_eligible_a: 'the number of players with day 0 + 7 ≤ data end',
  d7_eligible_b: 'the number of players with day 0 + 7 ≤ data end',
  d7_p_value: 'the pooled two-proportion z-test p on D7-eligible players',
  d7_diff_ci_low: 'the Wald interval on eligible players',
  d7_diff_ci_high: 'the Wald interval on eligible players',
  srm_p_value: 'the SRM χ² p on every non-mixed player',
  mixed_players: 'the number of players with usable rows in both variants',
};

interface Candidate {
  ids: RetentionDiagnosticId[];
  how: string[];
  value: number;
}

interface View {
  ids: RetentionDiagnosticId[];
  how: string[];
  table: PlayerTable;
  oracle: RetentionOracle;
}

const reportedNumber = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

const short = (x: number): string => String(Number(x.toPrecision(4)));

export interface DiagnoseOptions {
  /** Row counts the run actually received in its first request(s), from the trace; defaults to one page. */
  pageSizes?: readonly number[];
}

/** Diagnostics for a run's raw_stats, given the rows it saw and their oracle. */
export function retentionDiagnostics(
  rawStats: Record<string, unknown>,
  rows: readonly EventRow[],
  oracle: RetentionOracle,
  options: DiagnoseOptions = {},
): RetentionDiagnostic[] {
  const open = RETENTION_RAW_STAT_FIELDS.filter((field) => {
    const r = reportedNumber(rawStats[field]);
    return r !== null && mayFollowWrong(r, oracle[field]);
  });
  if (open.length === 0) return [];

  const views: View[] = [{ ids: [], how: [], table: playerTable(rows), oracle }];
  const sizes = [...new Set(options.pageSizes ?? [RETENTION_PAGE_ROWS])].filter(
    (n) => n > 0 && n < rows.length,
  );
  for (const size of sizes) {
    const prefix = firstRows(rows, size);
    views.push({
      ids: ['first_page_only'],
      how: [`on the first ${size} rows only (one page of the API)`],
      table: playerTable(prefix),
      oracle: computeRetentionOracle(prefix),
    });
  }

  const candidates = new Map<RetentionRawStatField, Candidate[]>(open.map((f) => [f, []]));
  const add = (
    field: RetentionRawStatField,
    value: Stat,
    ids: RetentionDiagnosticId[],
    how: string[],
  ) => {
    if (value === null || !candidates.has(field)) return;
    candidates.get(field)!.push({ ids, how, value });
    if (PERCENT_FIELDS.has(field)) {
      candidates.get(field)!.push({
        ids: [...ids, 'rates_as_percent'],
        how: [...how, 'as a percentage (×100) instead of a fraction'],
        value: value * 100,
      });
    }
  };
  for (const view of views) {
    for (const field of open) add(field, view.oracle[field], view.ids, view.how);
    for (const definition of DEFINITIONS) {
      const figures = definition.figures(view.table);
      for (const field of open) {
        if (field in figures) {
          add(
            field,
            figures[field] ?? null,
            [definition.id, ...view.ids],
            [definition.how, ...view.how],
          );
        }
      }
    }
  }

  // Per field, the explanations that fit. A mistake is a property of the run, so among fitting
  // explanations the one that fits the most fields wins (a first-page run whose D7 happens to be 0
  // is not also "session-level"), then the simplest (fewest mistakes), then the closest value.
  const fitting = new Map<RetentionRawStatField, Candidate[]>();
  const support = new Map<string, number>();
  const keyOf = (c: Candidate) => c.ids.join('+');
  for (const field of open) {
    const reported = reportedNumber(rawStats[field])!;
    const fits = candidates
      .get(field)!
      .filter((c) => c.ids.length > 0 && followsWrongBetter(reported, c.value, oracle[field]));
    fitting.set(field, fits);
    for (const key of new Set(fits.map(keyOf))) support.set(key, (support.get(key) ?? 0) + 1);
  }
  const out: RetentionDiagnostic[] = [];
  for (const field of open) {
    const reported = reportedNumber(rawStats[field])!;
    const expected = oracle[field];
    const best = [...fitting.get(field)!].sort(
      (x, y) =>
        support.get(keyOf(y))! - support.get(keyOf(x))! ||
        x.ids.length - y.ids.length ||
        Math.abs(x.value - reported) - Math.abs(y.value - reported),
    )[0];
    if (!best) continue;
    const right =
      expected === null
        ? `undefined on these rows (${oracle.undefined_reasons[field] ?? 'no value'})`
        : short(expected);
    const message = `${field} is ${short(reported)}, ${best.how.join(', ')}; ${RIGHT[field]} is ${right}`;
    for (const id of best.ids)
      out.push({ id, field, message, reported, expected, wrong: best.value });
  }
  return out.sort(
    (x, y) =>
      RETENTION_DIAGNOSTIC_IDS.indexOf(x.id) - RETENTION_DIAGNOSTIC_IDS.indexOf(y.id) ||
      RETENTION_RAW_STAT_FIELDS.indexOf(x.field) - RETENTION_RAW_STAT_FIELDS.indexOf(y.field),
  );
}
