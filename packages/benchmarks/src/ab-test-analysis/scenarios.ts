import { z } from 'zod';

/**
 * Named parameter sets for the Pineapple Finder event generator. The parameters shape the data;
 * the right answer for any generated dataset always comes from the oracle, never from here.
 * Each default seed was found with scripts/search-seeds.mjs so that the oracle's decision on the
 * generated rows is what the scenario's name says, and canonical's figures match the article's.
 */

/** How players behave in one variant. */
export interface VariantBehaviour {
  /** Chance that one attempt ends in `puzzle_completed` (otherwise `puzzle_failed`). */
  completion: number;
  /** Completion time is lognormal: this median in seconds… */
  medianSeconds: number;
  /** …and this log-scale spread; draws beyond the game's time limit are redrawn. */
  sigma: number;
  /** Chance the player tries again in the same session after a failure. */
  retryAfterFailure: number;
  /** Chance the player plays again after a completion (`puzzle_repeated`, then `puzzle_started`). */
  repeatAfterCompletion: number;
  /** Mean number of wrong guesses in a completed attempt. */
  wrongGuesses: number;
}

export interface ScenarioParameters {
  /** One line for `--help` and reports. */
  description: string;
  defaultSeed: number;
  players: number;
  /** After each session, the chance that the same player comes back for another. */
  anotherSession: number;
  /** Probability that a session is assigned B (0.5 is a fair split). */
  shareB: number;
  /** First day of traffic (UTC, YYYY-MM-DD) and how many days new players keep arriving. */
  startDate: string;
  days: number;
  /** Realistic blemishes an analysis must clean up. */
  blemishes: {
    /** Chance that a session's first `puzzle_started` fires before the feature flag loaded (null variant). */
    startBeforeFlag: number;
    /** Chance that any one event lost its session id. */
    missingSession: number;
  };
  A: VariantBehaviour;
  B: VariantBehaviour;
}

export const SCENARIO_NAMES = [
  'canonical',
  'b-wins',
  'no-effect',
  'srm',
  'guardrail-blocks',
  'large-paginated',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
export const DEFAULT_SCENARIO: ScenarioName = 'canonical';

/**
 * The article's game: B's extra pineapple makes completions slower (lognormal medians 3.9 s vs
 * 6.1 s, same spread, so mean ≈ 5.7 s vs 8.9 s) and failures more frequent, while B's players
 * retry far more often after a failure, so nearly every session of both variants ends with a
 * completion. Completion chances sit slightly below the target attempt rates because the
 * before-flag blemish removes some starts from the usable rows.
 */
const reference: Record<'A' | 'B', VariantBehaviour> = {
  A: {
    completion: 0.875,
    medianSeconds: 3.9,
    sigma: 0.87,
    retryAfterFailure: 0.68,
    repeatAfterCompletion: 0.45,
    wrongGuesses: 0.6,
  },
  B: {
    completion: 0.698,
    medianSeconds: 6.1,
    sigma: 0.87,
    retryAfterFailure: 0.916,
    repeatAfterCompletion: 0.42,
    wrongGuesses: 1.1,
  },
};

const commonBlemishes = { startBeforeFlag: 0.03, missingSession: 0.003 };

export const scenarios: Readonly<Record<ScenarioName, ScenarioParameters>> = {
  canonical: {
    description:
      'The reference case: B (5 pineapples) is slower and fails more often; A is recommended.',
    defaultSeed: 119005,
    players: 120,
    anotherSession: 0.33,
    shareB: 0.5,
    startDate: '2026-09-01',
    days: 21,
    blemishes: commonBlemishes,
    A: reference.A,
    B: reference.B,
  },
  'b-wins': {
    description: 'B is clearly faster and no worse on completion or repeats; B is recommended.',
    defaultSeed: 1,
    players: 120,
    anotherSession: 0.33,
    shareB: 0.5,
    startDate: '2026-09-01',
    days: 21,
    blemishes: commonBlemishes,
    A: {
      completion: 0.85,
      medianSeconds: 6.0,
      sigma: 0.8,
      retryAfterFailure: 0.7,
      repeatAfterCompletion: 0.4,
      wrongGuesses: 1.0,
    },
    B: {
      completion: 0.88,
      medianSeconds: 3.8,
      sigma: 0.8,
      retryAfterFailure: 0.7,
      repeatAfterCompletion: 0.42,
      wrongGuesses: 0.7,
    },
  },
  'no-effect': {
    description: 'Both variants behave the same; the primary test is not significant.',
    defaultSeed: 1,
    players: 120,
    anotherSession: 0.33,
    shareB: 0.5,
    startDate: '2026-09-01',
    days: 21,
    blemishes: commonBlemishes,
    A: {
      completion: 0.85,
      medianSeconds: 5,
      sigma: 0.85,
      retryAfterFailure: 0.7,
      repeatAfterCompletion: 0.42,
      wrongGuesses: 0.8,
    },
    B: {
      completion: 0.85,
      medianSeconds: 5,
      sigma: 0.85,
      retryAfterFailure: 0.7,
      repeatAfterCompletion: 0.42,
      wrongGuesses: 0.8,
    },
  },
  srm: {
    description:
      'B sessions are under-recorded, so the session split is far from 50/50; the result is inconclusive.',
    defaultSeed: 1,
    players: 140,
    anotherSession: 0.33,
    shareB: 0.33,
    startDate: '2026-09-01',
    days: 21,
    blemishes: commonBlemishes,
    A: reference.A,
    B: reference.B,
  },
  'guardrail-blocks': {
    description:
      'B is faster, but its players replay far less often (repeat rate significantly worse); A is recommended.',
    defaultSeed: 1,
    players: 130,
    anotherSession: 0.33,
    shareB: 0.5,
    startDate: '2026-09-01',
    days: 21,
    blemishes: commonBlemishes,
    A: {
      completion: 0.86,
      medianSeconds: 6.0,
      sigma: 0.8,
      retryAfterFailure: 0.7,
      repeatAfterCompletion: 0.55,
      wrongGuesses: 1.0,
    },
    B: {
      completion: 0.84,
      medianSeconds: 3.8,
      sigma: 0.8,
      retryAfterFailure: 0.7,
      repeatAfterCompletion: 0.2,
      wrongGuesses: 0.7,
    },
  },
  'large-paginated': {
    description:
      'Several thousand rows (past the 1000-row page cap) with a clear effect: A is faster; A is recommended.',
    defaultSeed: 1,
    players: 600,
    anotherSession: 0.33,
    shareB: 0.5,
    startDate: '2026-08-15',
    days: 42,
    blemishes: commonBlemishes,
    A: reference.A,
    B: reference.B,
  },
};

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

const MAX_SEED = 0xffffffff;

/** A scenario and optional seed as a caller (CLI flag, HTTP query, config file) supplies them. */
export const ScenarioSelectionSchema = z.object({
  scenario: z.enum(SCENARIO_NAMES).default(DEFAULT_SCENARIO),
  seed: z.number().int().min(0).max(MAX_SEED).optional(),
});
export type ScenarioSelection = z.infer<typeof ScenarioSelectionSchema>;
