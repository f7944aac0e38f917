import type { EventType } from '../ab-test-analysis/events.js';
import { formatTimestamptz } from '../dataset-format.js';
import { assertSeed, createRandom, type Random } from '@localds/scorer';
import {
  LAUNCH_MS,
  launchSegmentsDefinitions as d,
  type Period,
  type Platform,
} from './definitions.js';
import type { SegmentEventRow } from '../segment-events.js';
import {
  DEFAULT_SCENARIO,
  isScenarioName,
  SCENARIO_NAMES,
  scenarios,
  type ScenarioName,
  type ScenarioParameters,
} from './scenarios.js';

/** An event before ids are assigned: rows get ids in time order, as the live table would. */
interface DraftEvent {
  at: number;
  event: EventType;
  distinctId: string;
  sessionId: string;
  platform: string | null;
  completionSeconds: number | null;
  correctWords: number | null;
  totalGuesses: number | null;
}

const SECOND = 1000;
const DAY = 24 * 3600 * SECOND;
const MEMORIZE_SECONDS = 7;
const TIME_LIMIT_SECONDS = 60;

/** A UUID-shaped id (version 4 layout) from the seeded stream (same layout as the A/B generator's). */
export function seededUuid(random: Random): string {
  const hex = random.hex8() + random.hex8() + random.hex8() + random.hex8();
  const variantNibble = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variantNibble}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function epochMs(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`startDate must be YYYY-MM-DD, got "${date}"`);
  return ms;
}

const periodAt = (at: number): Period => (at < LAUNCH_MS ? 'before' : 'after');

/** Lognormal completion time (median grows with the board), redrawn until it fits the time limit. */
function completionSeconds(random: Random, pineapples: number): number {
  for (;;) {
    const seconds = (pineapples + 0.5) * 0.9 * Math.exp(0.8 * random.normal());
    const rounded = Math.round(seconds * 1000) / 1000;
    if (rounded > 0 && rounded < TIME_LIMIT_SECONDS) return rounded;
  }
}

/** One session: attempts until the player stops; the board of an attempt is the one live when it starts. */
function playSession(
  random: Random,
  params: ScenarioParameters,
  distinctId: string,
  start: number,
  out: DraftEvent[],
): void {
  const sessionId = seededUuid(random);
  const desktop = random.chance(params.desktopShare[periodAt(start)]);
  const platform: Platform = desktop ? 'desktop' : 'mobile';
  const recorded = random.chance(params.blemishes.nullPlatform)
    ? null
    : random.chance(params.blemishes.otherPlatform)
      ? 'tablet'
      : platform;
  const behaviour = params.platforms[platform];
  const emit = (at: number, event: EventType, extra: Partial<DraftEvent> = {}): void => {
    out.push({
      at,
      event,
      distinctId,
      sessionId,
      platform: recorded,
      completionSeconds: null,
      correctWords: null,
      totalGuesses: null,
      ...extra,
    });
  };

  let at = start;
  for (;;) {
    const period = periodAt(at);
    const pineapples = d.pineapples[period];
    emit(at, 'puzzle_started');
    at += MEMORIZE_SECONDS * SECOND;
    if (random.chance(behaviour.completion[period])) {
      const seconds = completionSeconds(random, pineapples);
      at += Math.round(seconds * SECOND);
      emit(at, 'puzzle_completed', {
        completionSeconds: seconds,
        correctWords: pineapples,
        totalGuesses: pineapples + random.int(0, 3),
      });
      if (!random.chance(behaviour.repeatAfterCompletion)) return;
      at += random.int(2 * SECOND, 20 * SECOND);
      emit(at, 'puzzle_repeated');
      at += random.int(300, 1500);
    } else {
      at += TIME_LIMIT_SECONDS * SECOND;
      emit(at, 'puzzle_failed');
      if (!random.chance(behaviour.retryAfterFailure)) return;
      at += random.int(2 * SECOND, 15 * SECOND);
    }
  }
}

/** Generates the rows of `posthog_events` for explicit parameters (ordered by id, ids from 1). */
export function generateLaunchEvents(params: ScenarioParameters, seed: number): SegmentEventRow[] {
  assertSeed(seed);
  const random = createRandom(seed);
  const firstDay = epochMs(params.startDate);
  const players: string[] = [];
  const drafts: DraftEvent[] = [];
  for (let s = 0; s < params.sessions; s++) {
    let player: string;
    if (players.length === 0 || random.chance(params.newPlayer)) {
      player = seededUuid(random);
      players.push(player);
    } else {
      player = players[random.int(0, players.length - 1)]!;
    }
    // A worldwide game: sessions start at any time of day, so the launch morning has traffic.
    const start = firstDay + random.int(0, params.days * DAY - 1);
    playSession(random, params, player, start, drafts);
  }
  // Stable sort keeps generation order for equal instants, so ties are deterministic too.
  drafts.sort((a, b) => a.at - b.at);
  return drafts.map((draft, index) => ({
    id: index + 1,
    event: draft.event,
    distinct_id: draft.distinctId,
    session_id: random.chance(params.blemishes.missingSession) ? null : draft.sessionId,
    timestamp: formatTimestamptz(draft.at),
    variant: null,
    feature_flag_response: null,
    completion_time_seconds: draft.completionSeconds,
    correct_words_count: draft.correctWords,
    total_guesses_count: draft.totalGuesses,
    platform: draft.platform,
  }));
}

/** The dataset of a named scenario; `seed` defaults to the scenario's own. */
export function generateLaunchDataset(
  scenario: string = DEFAULT_SCENARIO,
  seed?: number,
): SegmentEventRow[] {
  if (!isScenarioName(scenario)) {
    throw new RangeError(`unknown scenario "${scenario}"; known: ${SCENARIO_NAMES.join(', ')}`);
  }
  const params = scenarios[scenario as ScenarioName];
  return generateLaunchEvents(params, seed ?? params.defaultSeed);
}
