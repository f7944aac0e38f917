/**
 * cohort-table.csv as the task defines it: `cohort_monday,variant,players,d1,d7,d14`, an empty cell for
 * null. Parsed with d3-dsv (RFC 4180 quoting, isomorphic) and validated with zod, so a malformed file
 * gets a message naming its line and column instead of a wrong score.
 */
import { csvFormatRows, csvParseRows } from 'd3-dsv';
import { z } from 'zod';
import type { CohortRow } from './oracle-types.js';
import { COHORT_TABLE_COLUMNS } from './task.js';

/** An ISO date; a midnight time after it (how pandas may write a datetime column) is accepted and dropped. */
const CohortDate = z
  .string()
  .trim()
  .regex(
    /^\d{4}-\d{2}-\d{2}(?:[T ]00:00:00(?:\.0+)?(?:Z|[+-]00:?00)?)?$/,
    'an ISO date like 2026-08-03',
  )
  .transform((s) => s.slice(0, 10));
const Cell = z
  .string()
  .trim()
  .transform((s, ctx) => {
    if (s === '' || /^(nan|null|none)$/i.test(s)) return null;
    const n = Number(s);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a number or an empty cell` });
      return z.NEVER;
    }
    return n;
  });
const Players = z
  .string()
  .trim()
  .regex(/^\d+(?:\.0+)?$/, 'a whole number of players')
  .transform(Number);

const LineSchema = z.tuple([
  CohortDate,
  z
    .string()
    .trim()
    .pipe(z.enum(['A', 'B'])),
  Players,
  Cell,
  Cell,
  Cell,
]);

export interface ReportedCohortRow {
  cohort_monday: string;
  variant: 'A' | 'B';
  players: number;
  d1: number | null;
  d7: number | null;
  d14: number | null;
}

export type CohortCsvReading =
  { rows: ReportedCohortRow[]; problem: null } | { rows: null; problem: string };

export function parseCohortCsv(text: string): CohortCsvReading {
  const lines = csvParseRows(text.replace(/^\uFEFF/, '')).filter((cells) =>
    cells.some((c) => c.trim() !== ''),
  );
  if (lines.length === 0) return { rows: null, problem: 'cohort-table.csv is empty' };
  const header = lines[0]!.map((c) => c.trim());
  if (header.join(',') !== COHORT_TABLE_COLUMNS.join(',')) {
    return {
      rows: null,
      problem: `cohort-table.csv header is "${header.join(',')}", expected "${COHORT_TABLE_COLUMNS.join(',')}"`,
    };
  }
  const rows: ReportedCohortRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const parsed = LineSchema.safeParse(lines[i]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const column = COHORT_TABLE_COLUMNS[Number(issue.path[0])] ?? 'the line';
      const what =
        lines[i]!.length !== COHORT_TABLE_COLUMNS.length
          ? `has ${lines[i]!.length} cells, expected 6`
          : `${column}: ${issue.message}`;
      return { rows: null, problem: `cohort-table.csv line ${i + 1} ${what}` };
    }
    const [cohort_monday, variant, players, d1, d7, d14] = parsed.data;
    rows.push({ cohort_monday, variant, players, d1, d7, d14 });
  }
  return { rows, problem: null };
}

/** The oracle's cohort table as the CSV the task asks for (what a correct run writes, up to number format). */
export function formatCohortCsv(rows: readonly CohortRow[]): string {
  const cell = (x: number | null) => (x === null ? '' : String(x));
  return `${csvFormatRows([
    [...COHORT_TABLE_COLUMNS],
    ...rows.map((r) => [
      r.cohort_monday,
      r.variant,
      String(r.players),
      cell(r.d1),
      cell(r.d7),
      cell(r.d14),
    ]),
  ])}\n`;
}
