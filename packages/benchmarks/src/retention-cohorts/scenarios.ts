import { z } from 'zod';

/**
 * Named parameter sets for the retention experiment's event generator. The parameters shape the
 * data; the right answer for any generated dataset always comes from the oracle, never from here.
 * Each default seed was found with scripts/search-seeds.mjs so that the oracle's decision on the
 * generated rows is what the scenario's name says.
 */

/** How players of one variant come back. */
export interface ReturnBehaviour {
  /** Chance of being active on day 1 after day 0 (before any streak bonus)… */
  returnBase: number;
  /** …halving every this many days after day 1. */
  halfLifeDays: number;
  /** Added to the chance of being active on a day when the player was active the day before. */
  streakBonus: number;
  /** Chance of a further session on an active day (repeated: a geometric count). */
  extraSession: number;
}

export interface RetentionScenario {
  /** One line for `--help` and reports. */
  description: string;
  defaultSeed: number;
  players: number;
  /** Probability that a player is assigned B (0.5 is a fair split). */
  shareB: number;
  /** First day of events (UTC, YYYY-MM-DD) and how many days the events cover. */
  startDate: string;
  days: number;
  /** Share of players whose day 0 falls in the last 7 days (the rest arrive evenly over the window). */
  lateShare: number;
  /** Realistic blemishes an analysis must clean up. */
  blemishes: {
    /** Chance that a player's very first event fires before the feature flag loaded (null variant). */
    startBeforeFlag: number;
    /** Chance that any one event lost its distinct_id. */
    missingPlayer: number;
    /** Chance that a player's later session is recorded under the other variant (a mixed player). */
    mixedPlayer: number;
  };
  A: ReturnBehaviour;
  B: ReturnBehaviour;
}

export const RETENTION_SCENARIO_NAMES = [
  'canonical',
  'no-effect',
  'srm',
  'censoring-trap',
  'large-paginated',
] as const;
export type RetentionScenarioName = (typeof RETENTION_SCENARIO_NAMES)[number];
export const RETENTION_DEFAULT_SCENARIO: RetentionScenarioName = 'canonical';

const control: ReturnBehaviour = {
  returnBase: 0.22,
  halfLifeDays: 7,
  streakBonus: 0.05,
  extraSession: 0.15,
};
/** The streak reward: a player who played yesterday is much more likely to play today. */
const streak: ReturnBehaviour = { ...control, returnBase: 0.32, streakBonus: 0.3 };
const blemishes = { startBeforeFlag: 0.04, missingPlayer: 0.003, mixedPlayer: 0.012 };
const window = { startDate: '2026-08-03', days: 56 } as const;

export const retentionScenarios: Readonly<Record<RetentionScenarioName, RetentionScenario>> = {
  canonical: {
    description: 'The streak reward works: B raises D7 retention significantly; B is recommended.',
    defaultSeed: 1,
    players: 260,
    shareB: 0.5,
    ...window,
    lateShare: 0.12,
    blemishes,
    A: control,
    B: streak,
  },
  'no-effect': {
    description: 'Both variants bring players back alike; the D7 test is not significant.',
    defaultSeed: 4,
    players: 260,
    shareB: 0.5,
    ...window,
    lateShare: 0.12,
    blemishes,
    A: control,
    B: control,
  },
  srm: {
    description:
      'B players are under-recorded, so the player split is far from 50/50; the result is inconclusive.',
    defaultSeed: 1,
    players: 320,
    shareB: 0.38,
    ...window,
    lateShare: 0.12,
    blemishes,
    A: control,
    B: streak,
  },
  'censoring-trap': {
    description:
      'Many players joined in the last week: counted as churned they hide a significant D7 gain of B; B is recommended.',
    defaultSeed: 12,
    players: 300,
    shareB: 0.5,
    ...window,
    lateShare: 0.5,
    blemishes,
    A: control,
    B: { ...control, returnBase: 0.3, streakBonus: 0.25 },
  },
  'large-paginated': {
    description:
      'Over 5,000 rows (past the 1000-row page cap) with a clear D7 gain of B; B is recommended.',
    defaultSeed: 1,
    players: 600,
    shareB: 0.5,
    ...window,
    lateShare: 0.12,
    blemishes,
    A: control,
    B: streak,
  },
};

export function isRetentionScenarioName(name: string): name is RetentionScenarioName {
  return (RETENTION_SCENARIO_NAMES as readonly string[]).includes(name);
}

/** A scenario and optional seed as a caller (CLI flag, HTTP query, config file) supplies them. */
export const RetentionScenarioSelectionSchema = z.object({
  scenario: z.enum(RETENTION_SCENARIO_NAMES).default(RETENTION_DEFAULT_SCENARIO),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
});
