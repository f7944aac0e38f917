/**
 * The definitions of `anomaly-days` (issue #13), stated once so that the task text, the oracle and the
 * diagnostics cannot disagree. Changing anything here changes the benchmark.
 */
export const anomalyDaysDefinitions = {
  table: 'posthog_events',
  /** The only event counted. */
  event: 'puzzle_started',
  /** A distinct_id with more than this many usable rows on one UTC day is a bot. */
  botRowsPerDay: 200,
  /** The baseline looks back these many days (the same weekday, one to four weeks before). */
  baselineLags: [7, 14, 21, 28],
  /** The first day with a baseline is the 29th (index 28 from the first date). */
  firstEvaluatedDay: 29,
  /** |r| at or above this is anomalous. */
  threshold: 0.35,
} as const;

export type AnomalyDaysDefinitions = typeof anomalyDaysDefinitions;
export type AnomalyType = 'drop' | 'spike';
