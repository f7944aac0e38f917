import type { SegmentEventRow } from '../segment-events.js';
import { computeAnomalyOracle, type AnomalyOracle, type AnomalyOracleOptions } from './oracle.js';

/**
 * Diagnostics of `anomaly-days`: which usual wrong definition a run follows. Pure functions of
 * (summary, rows, oracle). A run follows a wrong definition when its flagged days agree with that
 * definition's clearly better than with the right one (F1 ≥ 0.9 and higher than against the oracle),
 * or when a count, baseline or raw figure it reports equals the wrong definition's and not the right one.
 */

export const ANOMALY_DIAGNOSTIC_IDS = [
  'global_zscore',
  'bots_included',
  'all_events_counted',
  'previous_day_baseline',
  'mean_baseline',
  'first_page_only',
] as const;
export type AnomalyDiagnosticId = (typeof ANOMALY_DIAGNOSTIC_IDS)[number];

export interface AnomalyDiagnostic {
  id: AnomalyDiagnosticId;
  field: string;
  message: string;
  reported: number | string | null;
  expected: number | string | null;
  wrong: number | string | null;
}

/** PostgREST's default page: a run that does not paginate sees this many rows, in id order. */
export const FIRST_PAGE_ROWS = 1000;
/** The global z-score thresholds people use; the diagnostic recognises each. */
export const ZSCORE_THRESHOLDS = [1.5, 2, 2.5, 3] as const;

/** F1 of a flagged set against a reference set; 1 when both are empty. */
export function f1(flagged: ReadonlySet<string>, reference: ReadonlySet<string>): number {
  if (flagged.size === 0 && reference.size === 0) return 1;
  let hits = 0;
  for (const date of flagged) if (reference.has(date)) hits++;
  return (2 * hits) / (flagged.size + reference.size);
}

/** Days whose count is at least `threshold` population SDs from the mean of all days' counts. */
export function globalZscoreDays(oracle: AnomalyOracle, threshold: number): Set<string> {
  const counts = oracle.days.map((d) => d.count);
  const n = counts.length;
  if (n === 0) return new Set();
  const mean = counts.reduce((s, c) => s + c, 0) / n;
  const sd = Math.sqrt(counts.reduce((s, c) => s + (c - mean) ** 2, 0) / n);
  if (sd === 0) return new Set();
  return new Set(
    oracle.days.filter((d) => Math.abs(d.count - mean) / sd >= threshold).map((d) => d.date),
  );
}

interface Variant {
  id: AnomalyDiagnosticId;
  how: string;
  oracle: AnomalyOracle;
}

function variants(rows: readonly SegmentEventRow[]): Variant[] {
  const of = (options: AnomalyOracleOptions) => computeAnomalyOracle(rows, options);
  const out: Variant[] = [
    { id: 'bots_included', how: "with the bots' rows counted", oracle: of({ includeBots: true }) },
    {
      id: 'all_events_counted',
      how: 'counting every event, not only puzzle_started',
      oracle: of({ allEvents: true }),
    },
    {
      id: 'previous_day_baseline',
      how: "against the previous day's count",
      oracle: of({ baseline: 'previous_day' }),
    },
    {
      id: 'mean_baseline',
      how: 'against the mean (not the median) of the four same weekdays',
      oracle: of({ baseline: 'mean' }),
    },
  ];
  if (rows.length > FIRST_PAGE_ROWS) {
    const page = [...rows].sort((a, b) => a.id - b.id).slice(0, FIRST_PAGE_ROWS);
    out.push({
      id: 'first_page_only',
      how: `on the first ${FIRST_PAGE_ROWS} rows only`,
      oracle: computeAnomalyOracle(page),
    });
  }
  return out;
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** The dates a summary flags, and its anomalies by date (only well-formed entries). */
function reportedAnomalies(summary: Record<string, unknown>): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  if (!Array.isArray(summary.anomalies)) return out;
  for (const a of summary.anomalies) {
    const entry = record(a);
    if (typeof entry.date === 'string') out.set(entry.date, entry);
  }
  return out;
}

export interface AnomalyDiagnosticsInput {
  rows: readonly SegmentEventRow[];
  oracle: AnomalyOracle;
  summary: unknown;
}

export function anomalyDiagnostics({
  rows,
  oracle,
  summary,
}: AnomalyDiagnosticsInput): AnomalyDiagnostic[] {
  const s = record(summary);
  const raw = record(s.raw_stats);
  const reported = reportedAnomalies(s);
  if (!Array.isArray(s.anomalies)) return [];
  const flagged = new Set(reported.keys());
  const right = new Set(oracle.anomalies.map((a) => a.date));
  const rightF1 = f1(flagged, right);
  const out: AnomalyDiagnostic[] = [];
  const seen = new Set<string>();
  const add = (d: AnomalyDiagnostic) => {
    const key = `${d.id}|${d.field}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  };
  const setFollows = (wrong: Set<string>) => {
    const wrongF1 = f1(flagged, wrong);
    return wrongF1 >= 0.9 && wrongF1 > rightF1 ? wrongF1 : null;
  };

  for (const threshold of ZSCORE_THRESHOLDS) {
    const z = globalZscoreDays(oracle, threshold);
    const score = setFollows(z);
    if (score !== null) {
      add({
        id: 'global_zscore',
        field: 'anomalies',
        message: `the flagged days follow a global z-score (|z| ≥ ${threshold}, F1 ${score.toFixed(2)}) rather than the same-weekday baseline (F1 ${rightF1.toFixed(2)})`,
        reported: flagged.size,
        expected: right.size,
        wrong: z.size,
      });
      break;
    }
  }

  const all = variants(rows);
  // No bot reported although there are some: the bots stayed in the counts, unless the run only saw a
  // first page that holds no bot (then first_page_only explains it).
  const page = all.find((v) => v.id === 'first_page_only')?.oracle;
  const sawOnlyPage =
    page !== undefined &&
    page.bot_ids.length === 0 &&
    raw.usable_rows === page.raw_stats.usable_rows;
  if (
    !sawOnlyPage &&
    Array.isArray(s.bot_ids) &&
    s.bot_ids.length === 0 &&
    oracle.bot_ids.length > 0
  ) {
    add({
      id: 'bots_included',
      field: 'bot_ids',
      message: `no bot reported; ${oracle.bot_ids.length} distinct_id(s) exceed the per-day limit and their rows belong out of the counts`,
      reported: 0,
      expected: oracle.bot_ids.length,
      wrong: 0,
    });
  }

  for (const v of all) {
    const wrongSet = new Set(v.oracle.anomalies.map((a) => a.date));
    const score = setFollows(wrongSet);
    if (score !== null) {
      add({
        id: v.id,
        field: 'anomalies',
        message: `the flagged days follow the definition ${v.how} (F1 ${score.toFixed(2)}) rather than the right one (F1 ${rightF1.toFixed(2)})`,
        reported: flagged.size,
        expected: right.size,
        wrong: wrongSet.size,
      });
    }
    for (const field of ['usable_rows', 'bot_rows', 'days_evaluated'] as const) {
      const value = raw[field];
      if (typeof value !== 'number') continue;
      const w = v.oracle.raw_stats[field];
      const e = oracle.raw_stats[field];
      // 0 is what a skipped step gives in many ways (no bot found, no day evaluated…): not evidence.
      if (value === w && w !== e && w !== 0) {
        add({
          id: v.id,
          field: `raw_stats.${field}`,
          message: `${field} = ${value} is the figure ${v.how}; by the definitions it is ${e}`,
          reported: value,
          expected: e,
          wrong: w,
        });
      }
    }
    // A reported day's count or baseline equal to the wrong definition's figure for that date.
    const rightDays = new Map(oracle.days.map((d) => [d.date, d]));
    const wrongDays = new Map(v.oracle.days.map((d) => [d.date, d]));
    for (const [date, entry] of reported) {
      const e = rightDays.get(date);
      const w = wrongDays.get(date);
      if (!e || !w) continue;
      for (const field of ['count', 'baseline'] as const) {
        const value = entry[field];
        const wv = w[field];
        const ev = e[field];
        if (
          typeof value === 'number' &&
          wv !== null &&
          wv !== ev &&
          Math.abs(value - wv) <= 1e-9 * Math.abs(wv)
        ) {
          add({
            id: v.id,
            field: `anomalies.${field}`,
            message: `${date}: ${field} ${value} is the figure ${v.how}; by the definitions it is ${ev ?? 'null'}`,
            reported: value,
            expected: ev,
            wrong: wv,
          });
        }
      }
    }
  }
  return out;
}
