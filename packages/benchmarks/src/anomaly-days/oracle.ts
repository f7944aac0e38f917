import type { SegmentEventRow } from '../segment-events.js';
import { anomalyDaysDefinitions as d, type AnomalyType } from './definitions.js';
import type { Anomaly } from './summary.js';

/**
 * The oracle of `anomaly-days`: the task's definitions in plain TypeScript (counting, medians and one
 * division per day: no statistics library needed). scripts/generate_fixtures.py reimplements them in
 * pandas and the test checks counts and dates exactly, ratios at 1e-9.
 */

export interface DayFigure {
  date: string;
  count: number;
  /** Null before the 29th day (no baseline yet). */
  baseline: number | null;
  ratio: number | null;
  type: AnomalyType | null;
}

export interface AnomalyOracle {
  first_date: string | null;
  last_date: string | null;
  days: DayFigure[];
  anomalies: Anomaly[];
  bot_ids: string[];
  raw_stats: {
    days_evaluated: number;
    anomaly_count: number;
    usable_rows: number;
    bot_rows: number;
  };
}

/** Wrong definitions the diagnostics recompute; the defaults are the task's. */
export interface AnomalyOracleOptions {
  baseline?: 'median' | 'mean' | 'previous_day';
  /** Count every event with both ids, not only `puzzle_started`. */
  allEvents?: boolean;
  /** Keep the bots' rows in the daily counts. */
  includeBots?: boolean;
}

const DAY_MS = 86_400_000;

/** The UTC calendar date of an ISO 8601 instant, as YYYY-MM-DD. */
function utcDate(timestamp: string, id: number): string {
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms))
    throw new RangeError(`row ${id}: timestamp "${timestamp}" is not an ISO 8601 instant`);
  return new Date(ms).toISOString().slice(0, 10);
}

const dateMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const dateAt = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Median of four values: the mean of the two middle ones. */
function medianOfFour(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[1]! + sorted[2]!) / 2;
}

function baselineOf(counts: number[], i: number, kind: AnomalyOracleOptions['baseline']): number {
  if (kind === 'previous_day') return counts[i - 1]!;
  const lagged = d.baselineLags.map((lag) => counts[i - lag]!);
  return kind === 'mean'
    ? (lagged[0]! + lagged[1]! + lagged[2]! + lagged[3]!) / 4
    : medianOfFour(lagged);
}

/** Classifies a day by the definitions: |r| ≥ threshold; a zero baseline makes any count a spike. */
export function classify(
  count: number,
  baseline: number,
): { ratio: number | null; type: AnomalyType | null } {
  if (baseline === 0) return { ratio: null, type: count > 0 ? 'spike' : null };
  const ratio = count / baseline - 1;
  return { ratio, type: Math.abs(ratio) >= d.threshold ? (ratio < 0 ? 'drop' : 'spike') : null };
}

export function computeAnomalyOracle(
  rows: readonly SegmentEventRow[],
  options: AnomalyOracleOptions = {},
): AnomalyOracle {
  // Usable rows with their date; rows per (player, date) to find the bots.
  const usable: { date: string; player: string }[] = [];
  const perPlayerDay = new Map<string, Map<string, number>>();
  for (const row of rows) {
    if (!options.allEvents && row.event !== d.event) continue;
    if (row.distinct_id === null || row.session_id === null) continue;
    const date = utcDate(row.timestamp, row.id);
    usable.push({ date, player: row.distinct_id });
    let days = perPlayerDay.get(row.distinct_id);
    if (!days) perPlayerDay.set(row.distinct_id, (days = new Map()));
    days.set(date, (days.get(date) ?? 0) + 1);
  }
  const bots = new Set<string>();
  for (const [player, days] of perPlayerDay) {
    for (const n of days.values()) if (n > d.botRowsPerDay) bots.add(player);
  }
  const botIds = [...bots].sort();
  let botRows = 0;
  let first: string | null = null;
  let last: string | null = null;
  const perDate = new Map<string, number>();
  for (const { date, player } of usable) {
    // The date range includes the bots' rows.
    if (first === null || date < first) first = date;
    if (last === null || date > last) last = date;
    if (bots.has(player)) {
      botRows++;
      if (!options.includeBots) continue;
    }
    perDate.set(date, (perDate.get(date) ?? 0) + 1);
  }
  const days: DayFigure[] = [];
  const anomalies: Anomaly[] = [];
  if (first !== null && last !== null) {
    const n = Math.round((dateMs(last) - dateMs(first)) / DAY_MS) + 1;
    const counts = Array.from(
      { length: n },
      (_, i) => perDate.get(dateAt(dateMs(first!) + i * DAY_MS)) ?? 0,
    );
    for (let i = 0; i < n; i++) {
      const date = dateAt(dateMs(first) + i * DAY_MS);
      if (i < d.firstEvaluatedDay - 1) {
        days.push({ date, count: counts[i]!, baseline: null, ratio: null, type: null });
        continue;
      }
      const baseline = baselineOf(counts, i, options.baseline);
      const { ratio, type } = classify(counts[i]!, baseline);
      days.push({ date, count: counts[i]!, baseline, ratio, type });
      if (type !== null) anomalies.push({ date, count: counts[i]!, baseline, ratio, type });
    }
  }
  return {
    first_date: first,
    last_date: last,
    days,
    anomalies,
    bot_ids: botIds,
    raw_stats: {
      days_evaluated: Math.max(0, days.length - (d.firstEvaluatedDay - 1)),
      anomaly_count: anomalies.length,
      usable_rows: usable.length,
      bot_rows: botRows,
    },
  };
}
