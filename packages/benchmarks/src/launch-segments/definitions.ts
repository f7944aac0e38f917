/**
 * The metric and decision definitions of `launch-segments` (issue #13), stated once so that the task
 * text, the oracle and the diagnostics cannot disagree. Changing anything here changes the benchmark.
 */
export const launchSegmentsDefinitions = {
  table: 'posthog_events',
  /** The launch: the board went from 4 to 5 pineapples for everyone at this instant (a Monday, 09:00 UTC). */
  launchInstant: '2026-03-02T09:00:00Z',
  pineapples: { before: 4, after: 5 },
  platforms: ['mobile', 'desktop'] as const,
  periods: ['before', 'after'] as const,
  events: {
    started: 'puzzle_started',
    completed: 'puzzle_completed',
    failed: 'puzzle_failed',
    repeated: 'puzzle_repeated',
  },
  /** Significance level of the Cochran–Mantel–Haenszel test that decides. */
  alpha: 0.05,
  /** Confidence level of the Mantel–Haenszel odds ratio's interval. */
  ciLevel: 0.95,
} as const;

export type LaunchSegmentsDefinitions = typeof launchSegmentsDefinitions;
export type Platform = (typeof launchSegmentsDefinitions.platforms)[number];
export type Period = (typeof launchSegmentsDefinitions.periods)[number];

/** The launch instant in epoch milliseconds. */
export const LAUNCH_MS = Date.parse(launchSegmentsDefinitions.launchInstant);
