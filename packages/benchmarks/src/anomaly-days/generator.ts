import type { EventType } from '../ab-test-analysis/events.js';
import { formatTimestamptz } from '../dataset-format.js';
import { assertSeed, createRandom, type Random } from '@localds/scorer';
import { seededUuid } from '../launch-segments/generator.js';
import type { SegmentEventRow } from '../segment-events.js';
import {
  DEFAULT_SCENARIO,
  isScenarioName,
  SCENARIO_NAMES,
  scenarios,
  type ScenarioName,
  type ScenarioParameters,
} from './scenarios.js';

interface DraftEvent {
  at: number;
  event: EventType;
  distinctId: string;
  sessionId: string;
  platform: 'mobile' | 'desktop';
}

const SECOND = 1000;
const DAY = 24 * 3600 * SECOND;

/** One session of ordinary play starting at `start`: attempts until the player stops. */
function session(
  random: Random,
  distinctId: string,
  platform: 'mobile' | 'desktop',
  start: number,
  out: DraftEvent[],
): number {
  const sessionId = seededUuid(random);
  let at = start;
  let starts = 0;
  do {
    out.push({ at, event: 'puzzle_started', distinctId, sessionId, platform });
    starts++;
    at += 7 * SECOND + random.int(3 * SECOND, 60 * SECOND);
    out.push({
      at,
      event: random.chance(0.75) ? 'puzzle_completed' : 'puzzle_failed',
      distinctId,
      sessionId,
      platform,
    });
    at += random.int(2 * SECOND, 20 * SECOND);
  } while (random.chance(0.5));
  return starts;
}

/** Generates `posthog_events` for explicit parameters (ordered by id, ids from 1). */
export function generateAnomalyEvents(params: ScenarioParameters, seed: number): SegmentEventRow[] {
  assertSeed(seed);
  const random = createRandom(seed);
  const first = Date.parse(`${params.startDate}T00:00:00Z`);
  if (Number.isNaN(first))
    throw new RangeError(`startDate must be YYYY-MM-DD, got "${params.startDate}"`);
  const players = Array.from({ length: params.players }, () => seededUuid(random));
  const drafts: DraftEvent[] = [];
  for (let day = 0; day < params.days; day++) {
    const weekday = (new Date(first + day * DAY).getUTCDay() + 6) % 7;
    // A steady rhythm: the weekday's level with a small log-normal spread, so ordinary days stay
    // well inside ±35% of the same weekday's median and the planted days are the only anomalies.
    let mean =
      params.baseStarts * params.weekly[weekday]! * Math.exp(params.dayNoise * random.normal());
    if (params.holiday?.day === day) mean *= params.holiday.factor;
    const target = Math.round(mean);
    const dayEvents: DraftEvent[] = [];
    let starts = 0;
    while (starts < target) {
      const player = players[random.int(0, players.length - 1)]!;
      const platform = random.chance(params.mobileShare) ? 'mobile' : 'desktop';
      // Sessions start before 23:00 so that nearly all of a day's events fall on that day.
      starts += session(
        random,
        player,
        platform,
        first + day * DAY + random.int(0, 23 * 3600 * SECOND),
        dayEvents,
      );
    }
    // The outage: one platform's events of that day never reached the table.
    const kept =
      params.outage?.day === day
        ? dayEvents.filter((e) => e.platform !== params.outage!.platform)
        : dayEvents;
    drafts.push(...kept);
    if (params.bot?.day === day) {
      // The bot: one distinct_id firing puzzle_started from one session, all day long.
      const bot = seededUuid(random);
      const sessionId = seededUuid(random);
      for (let i = 0; i < params.bot.starts; i++) {
        drafts.push({
          at: first + day * DAY + random.int(0, DAY - 1),
          event: 'puzzle_started',
          distinctId: bot,
          sessionId,
          platform: 'desktop',
        });
      }
    }
  }
  drafts.sort((a, b) => a.at - b.at);
  const { nullDistinct, nullSession, nullPlatform } = params.blemishes;
  return drafts.map((draft, index) => ({
    id: index + 1,
    event: draft.event,
    distinct_id: random.chance(nullDistinct) ? null : draft.distinctId,
    session_id: random.chance(nullSession) ? null : draft.sessionId,
    timestamp: formatTimestamptz(draft.at),
    variant: null,
    feature_flag_response: null,
    completion_time_seconds:
      draft.event === 'puzzle_completed' ? random.int(2000, 40000) / 1000 : null,
    correct_words_count: draft.event === 'puzzle_completed' ? 4 : null,
    total_guesses_count: draft.event === 'puzzle_completed' ? 4 + random.int(0, 3) : null,
    platform: random.chance(nullPlatform) ? null : draft.platform,
  }));
}

/** The dataset of a named scenario; `seed` defaults to the scenario's own. */
export function generateAnomalyDataset(
  scenario: string = DEFAULT_SCENARIO,
  seed?: number,
): SegmentEventRow[] {
  if (!isScenarioName(scenario)) {
    throw new RangeError(`unknown scenario "${scenario}"; known: ${SCENARIO_NAMES.join(', ')}`);
  }
  const params = scenarios[scenario as ScenarioName];
  return generateAnomalyEvents(params, seed ?? params.defaultSeed);
}
