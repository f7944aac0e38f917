/**
 * The metric and decision definitions of `retention-cohorts` (issue #12), stated once so that the
 * task text, the oracle, the checks and the diagnostics cannot disagree. Changing anything here
 * changes the benchmark's version.
 */
export const retentionDefinitions = {
  table: 'posthog_events',
  game: { name: 'Pineapple Finder' },
  control: 'A',
  treatment: 'B',
  /** The retention horizons reported in summary.json and the cohort table (days after day 0). */
  horizons: [1, 7, 14],
  /** The horizon of the primary test. */
  primaryHorizon: 7,
  /** The retention curve's days since day 0: 0 … curveDays. */
  curveDays: 14,
  /** Significance level of the primary D7 test. */
  alpha: 0.05,
  /** An SRM p below this makes the result inconclusive. */
  srmAlpha: 0.01,
  /** Confidence level of the Wald interval on D7 retention B − A. */
  ciLevel: 0.95,
  /** Weekly cohorts start on this ISO weekday (1 = Monday). */
  cohortWeekday: 1,
} as const;

export type RetentionDefinitions = typeof retentionDefinitions;
export type Horizon = (typeof retentionDefinitions.horizons)[number];
export type Variant = 'A' | 'B';
export const VARIANTS: readonly Variant[] = ['A', 'B'];
