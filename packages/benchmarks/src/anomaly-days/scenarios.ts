/**
 * Named parameter sets for the daily-traffic generator. The parameters shape the data; the right
 * answer always comes from the oracle. Each default seed was found with scripts/search-seeds.mjs so
 * that the oracle flags exactly the days the scenario plants (none in `quiet`).
 */
export interface ScenarioParameters {
  description: string;
  defaultSeed: number;
  /** First UTC day (a Monday) and the number of days of traffic. */
  startDate: string;
  days: number;
  /** Mean `puzzle_started` events on a Monday. */
  baseStarts: number;
  /** Multiplier per weekday, Monday first. */
  weekly: readonly [number, number, number, number, number, number, number];
  /** Log-normal day-to-day spread of the count (sd of its logarithm). */
  dayNoise: number;
  /** Share of sessions on mobile (the rest desktop). */
  mobileShare: number;
  /** Distinct players that ordinary traffic draws from. */
  players: number;
  /** Planted events, by day index from the first date (0-based). */
  outage?: { day: number; platform: 'mobile' | 'desktop' };
  bot?: { day: number; starts: number };
  holiday?: { day: number; factor: number };
  blemishes: { nullDistinct: number; nullSession: number; nullPlatform: number };
}

export const SCENARIO_NAMES = ['canonical', 'quiet', 'weekend-trap', 'large-paginated'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
export const DEFAULT_SCENARIO: ScenarioName = 'canonical';

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

const thirteenWeeks = { startDate: '2026-01-05', days: 91 } as const;
const blemishes = { nullDistinct: 0.004, nullSession: 0.004, nullPlatform: 0.02 } as const;
const ordinaryWeek = [1, 0.97, 0.98, 1.02, 1.1, 1.4, 1.35] as const;
const planted = {
  outage: { day: 45, platform: 'mobile' as const },
  bot: { day: 58, starts: 2400 },
  holiday: { day: 72, factor: 1.9 },
};

export const scenarios: Readonly<Record<ScenarioName, ScenarioParameters>> = {
  canonical: {
    description:
      'Thirteen weeks with a weekly rhythm, a one-day mobile tracking outage, a bot and a holiday spike.',
    defaultSeed: 1,
    ...thirteenWeeks,
    baseStarts: 60,
    weekly: ordinaryWeek,
    dayNoise: 0.07,
    mobileShare: 0.6,
    players: 400,
    ...planted,
    blemishes,
  },
  quiet: {
    description: 'The same rhythm with no anomaly at all: every flagged day is a false alarm.',
    defaultSeed: 1,
    ...thirteenWeeks,
    baseStarts: 60,
    weekly: ordinaryWeek,
    dayNoise: 0.07,
    mobileShare: 0.6,
    players: 400,
    blemishes,
  },
  'weekend-trap': {
    description:
      'Weekends three times as busy as weekdays: a global z-score flags weekend days (|z| ≥ 1.5) and misses the weekday outage; the median of the same weekdays does not.',
    defaultSeed: 1,
    ...thirteenWeeks,
    baseStarts: 50,
    weekly: [1, 0.98, 1, 1, 1.02, 3, 2.9],
    dayNoise: 0.07,
    mobileShare: 0.6,
    players: 400,
    ...planted,
    blemishes,
  },
  'large-paginated': {
    description: 'The canonical story at four times the traffic (more than 40,000 rows).',
    defaultSeed: 2,
    ...thirteenWeeks,
    baseStarts: 240,
    weekly: ordinaryWeek,
    dayNoise: 0.07,
    mobileShare: 0.6,
    players: 1600,
    ...planted,
    bot: { day: 58, starts: 6000 },
    blemishes,
  },
};
