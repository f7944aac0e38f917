import type { Period, Platform } from './definitions.js';

/**
 * Named parameter sets for the launch generator. The parameters shape the data; the right answer for
 * any dataset always comes from the oracle. Each default seed was found with scripts/search-seeds.mjs
 * so that the oracle's decision on the generated rows is what the scenario's name says.
 */

/** How players on one platform behave; completion chances per period (the board changed at launch). */
export interface PlatformBehaviour {
  /** Chance that one attempt ends in `puzzle_completed` (otherwise `puzzle_failed`), by the attempt's period. */
  completion: Record<Period, number>;
  /** Chance the player tries again in the same session after a failure. */
  retryAfterFailure: number;
  /** Chance the player plays again after a completion (`puzzle_repeated`, then `puzzle_started`). */
  repeatAfterCompletion: number;
}

export interface ScenarioParameters {
  description: string;
  defaultSeed: number;
  /** Sessions over the whole window; each picks a platform from its period's mix. */
  sessions: number;
  /** Chance that a session belongs to a new player rather than to one seen before. */
  newPlayer: number;
  /** First day of traffic (UTC, YYYY-MM-DD) and how many days the window lasts; it spans the launch. */
  startDate: string;
  days: number;
  /** Share of sessions on desktop per period: the campaign moved traffic from mobile to desktop. */
  desktopShare: Record<Period, number>;
  blemishes: {
    /** Chance that a session's platform was not captured (null on all its rows). */
    nullPlatform: number;
    /** Chance that a session reports a platform other than the two the analysis uses. */
    otherPlatform: number;
    /** Chance that any one event lost its session id. */
    missingSession: number;
  };
  platforms: Record<Platform, PlatformBehaviour>;
}

export const SCENARIO_NAMES = ['canonical', 'true-gain', 'no-change', 'large-paginated'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
export const DEFAULT_SCENARIO: ScenarioName = 'canonical';

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

const window = { startDate: '2026-02-26', days: 8 } as const;
const blemishes = { nullPlatform: 0.02, otherPlatform: 0.01, missingSession: 0.004 } as const;
/** The campaign: three mobile sessions in four before the launch, about one in three after. */
const campaignMix: Record<Period, number> = { before: 0.25, after: 0.65 };

/** Simpson's paradox: each platform completes less often with 5 pineapples; the mix hides it. */
const worseEverywhere: Record<Platform, PlatformBehaviour> = {
  mobile: {
    completion: { before: 0.57, after: 0.5 },
    retryAfterFailure: 0.55,
    repeatAfterCompletion: 0.35,
  },
  desktop: {
    completion: { before: 0.85, after: 0.8 },
    retryAfterFailure: 0.6,
    repeatAfterCompletion: 0.4,
  },
};

export const scenarios: Readonly<Record<ScenarioName, ScenarioParameters>> = {
  canonical: {
    description:
      'The pooled completion rate rises after the launch while it falls on each platform: roll back.',
    defaultSeed: 8,
    sessions: 1300,
    newPlayer: 0.6,
    ...window,
    desktopShare: campaignMix,
    blemishes,
    platforms: worseEverywhere,
  },
  'true-gain': {
    description: 'The completion rate rises on both platforms and pooled: keep.',
    defaultSeed: 1,
    sessions: 1300,
    newPlayer: 0.6,
    ...window,
    desktopShare: campaignMix,
    blemishes,
    platforms: {
      mobile: { ...worseEverywhere.mobile, completion: { before: 0.54, after: 0.6 } },
      desktop: { ...worseEverywhere.desktop, completion: { before: 0.82, after: 0.87 } },
    },
  },
  'no-change': {
    description:
      'Each platform completes as often as before; only the mix moved, so the pooled rate still rises: not significant.',
    defaultSeed: 1,
    sessions: 1300,
    newPlayer: 0.6,
    ...window,
    desktopShare: campaignMix,
    blemishes,
    platforms: {
      mobile: { ...worseEverywhere.mobile, completion: { before: 0.55, after: 0.55 } },
      desktop: { ...worseEverywhere.desktop, completion: { before: 0.83, after: 0.83 } },
    },
  },
  'large-paginated': {
    description: 'The canonical paradox over many pages of rows: a run must read every page.',
    defaultSeed: 1,
    sessions: 3600,
    newPlayer: 0.6,
    ...window,
    desktopShare: campaignMix,
    blemishes,
    platforms: worseEverywhere,
  },
};
