import type { EventRow, EventType } from './events.js';
import { formatTimestamptz } from '../dataset-format.js';
import { assertSeed, createRandom, type Random } from '@localds/scorer';
import { abTestDefinitions } from './definitions.js';
import {
  DEFAULT_SCENARIO,
  isScenarioName,
  SCENARIO_NAMES,
  scenarios,
  type ScenarioName,
  type ScenarioParameters,
  type VariantBehaviour,
} from './scenarios.js';

type Variant = 'A' | 'B';

/** An event before ids are assigned: rows get ids in time order, as the live table would. */
interface DraftEvent {
  at: number;
  event: EventType;
  distinctId: string;
  sessionId: string | null;
  variant: Variant | null;
  completionSeconds: number | null;
  correctWords: number | null;
  totalGuesses: number | null;
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;
const { memorizeSeconds, timeLimitSeconds, pineapples } = abTestDefinitions.game;

/** A UUID-shaped id (version 4 layout) from the seeded stream. */
function uuid(random: Random): string {
  const hex = random.hex8() + random.hex8() + random.hex8() + random.hex8();
  const variantNibble = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variantNibble}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Lognormal completion time, redrawn until it fits the game's limit, kept to milliseconds. */
function completionSeconds(random: Random, behaviour: VariantBehaviour): number {
  for (;;) {
    const seconds = behaviour.medianSeconds * Math.exp(behaviour.sigma * random.normal());
    const rounded = Math.round(seconds * 1000) / 1000;
    if (rounded > 0 && rounded < timeLimitSeconds) return rounded;
  }
}

/** Geometric count of wrong guesses with the given mean. */
function wrongGuesses(random: Random, mean: number): number {
  const more = mean / (1 + mean);
  let n = 0;
  while (random.chance(more)) n++;
  return n;
}

function epochMs(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`startDate must be YYYY-MM-DD, got "${date}"`);
  return ms;
}

/** One session: attempts until the player stops; variant fixed for the whole session. */
function playSession(
  random: Random,
  params: ScenarioParameters,
  distinctId: string,
  start: number,
  out: DraftEvent[],
): void {
  const sessionId = uuid(random);
  const variant: Variant = random.chance(params.shareB) ? 'B' : 'A';
  const behaviour = params[variant];
  const emit = (at: number, event: EventType, extra: Partial<DraftEvent> = {}): void => {
    out.push({
      at,
      event,
      distinctId,
      sessionId,
      variant,
      completionSeconds: null,
      correctWords: null,
      totalGuesses: null,
      ...extra,
    });
  };

  let at = start;
  let first = true;
  for (;;) {
    // The flag sometimes loads after the very first event of a session is captured.
    const beforeFlag = first && random.chance(params.blemishes.startBeforeFlag);
    emit(at, 'puzzle_started', beforeFlag ? { variant: null } : {});
    first = false;
    at += memorizeSeconds * SECOND;

    if (random.chance(behaviour.completion)) {
      const seconds = completionSeconds(random, behaviour);
      const correct = pineapples[variant];
      at += Math.round(seconds * SECOND);
      emit(at, 'puzzle_completed', {
        completionSeconds: seconds,
        correctWords: correct,
        totalGuesses: correct + wrongGuesses(random, behaviour.wrongGuesses),
      });
      if (!random.chance(behaviour.repeatAfterCompletion)) return;
      at += random.int(2 * SECOND, 20 * SECOND);
      emit(at, 'puzzle_repeated');
      at += random.int(300, 1500);
    } else {
      at += timeLimitSeconds * SECOND;
      emit(at, 'puzzle_failed');
      if (!random.chance(behaviour.retryAfterFailure)) return;
      at += random.int(2 * SECOND, 15 * SECOND);
    }
  }
}

/** Generates the rows of `posthog_events` for explicit parameters (ordered by id, ids from 1). */
export function generateEvents(params: ScenarioParameters, seed: number): EventRow[] {
  assertSeed(seed);
  const random = createRandom(seed);
  const firstDay = epochMs(params.startDate);
  const drafts: DraftEvent[] = [];

  for (let p = 0; p < params.players; p++) {
    const distinctId = uuid(random);
    // Players arrive over the window, mostly in the daytime, and may come back days later.
    let at = firstDay + random.int(0, params.days - 1) * DAY + random.int(7 * HOUR, 23 * HOUR);
    do {
      playSession(random, params, distinctId, at, drafts);
      at += random.int(2 * HOUR, 4 * DAY);
    } while (random.chance(params.anotherSession));
  }

  // Stable sort keeps generation order for equal instants, so ties are deterministic too.
  drafts.sort((a, b) => a.at - b.at);
  return drafts.map((d, index) => {
    const missingSession = random.chance(params.blemishes.missingSession);
    return {
      id: index + 1,
      event: d.event,
      distinct_id: d.distinctId,
      session_id: missingSession ? null : d.sessionId,
      timestamp: formatTimestamptz(d.at),
      variant: d.variant,
      feature_flag_response: d.variant,
      completion_time_seconds: d.completionSeconds,
      correct_words_count: d.correctWords,
      total_guesses_count: d.totalGuesses,
    };
  });
}

/** The dataset of a named scenario; `seed` defaults to the scenario's own. */
export function generateDataset(
  scenario: ScenarioName = DEFAULT_SCENARIO,
  seed?: number,
): EventRow[] {
  if (!isScenarioName(scenario)) {
    throw new RangeError(
      `unknown scenario "${String(scenario)}"; known: ${SCENARIO_NAMES.join(', ')}`,
    );
  }
  const params = scenarios[scenario];
  return generateEvents(params, seed ?? params.defaultSeed);
}
