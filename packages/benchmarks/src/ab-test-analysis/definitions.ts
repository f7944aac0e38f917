/**
 * The metric and decision definitions of `ab-test-analysis`, stated once so that the task text,
 * the oracle and the diagnostics cannot disagree. Changing anything here changes the benchmark's
 * version (see ./benchmark.ts).
 */
export const abTestDefinitions = {
  table: 'posthog_events',
  /** The game as the task describes it. */
  game: {
    name: 'Pineapple Finder',
    pineapples: { A: 4, B: 5 },
    memorizeSeconds: 7,
    timeLimitSeconds: 60,
  },
  control: 'A',
  treatment: 'B',
  events: {
    started: 'puzzle_started',
    completed: 'puzzle_completed',
    failed: 'puzzle_failed',
    repeated: 'puzzle_repeated',
  },
  primaryMetric: 'completion_time_seconds',
  /** Significance level of the primary Welch t-test and of both guardrail tests. */
  alpha: 0.05,
  /** An SRM p below this makes the result inconclusive. */
  srmAlpha: 0.01,
  /** Confidence level of the interval on mean_B − mean_A. */
  ciLevel: 0.95,
} as const;

export type AbTestDefinitions = typeof abTestDefinitions;
