import { formatTimestamptz } from '../dataset-format.js';
import type { RetentionEventType as EventType, RetentionRow as EventRow } from './events.js';
import { assertSeed, createRandom, type Random } from '@localds/scorer';
import { DAY_MS, dayOf } from './days.js';
import type { Variant } from './definitions.js';
import {
  isRetentionScenarioName,
  RETENTION_DEFAULT_SCENARIO,
  RETENTION_SCENARIO_NAMES,
  retentionScenarios,
  type RetentionScenario,
  type RetentionScenarioName,
  type ReturnBehaviour,
} from './scenarios.js';

/** An event before ids are assigned: rows get ids in time order, as the live table would. */
interface DraftEvent {
  at: number;
  event: EventType;
  distinctId: string | null;
  sessionId: string;
  variant: Variant | null;
  completionSeconds: number | null;
  correctWords: number | null;
  totalGuesses: number | null;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** The game as the A/B benchmark describes it; both variants here play the 4-pineapple board. */
const PINEAPPLES = 4;
const MEMORIZE_SECONDS = 7;
const TIME_LIMIT_SECONDS = 60;

/** A UUID-shaped id (version 4 layout) from the seeded stream. */
function uuid(random: Random): string {
  const hex = random.hex8() + random.hex8() + random.hex8() + random.hex8();
  const variantNibble = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variantNibble}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function geometric(random: Random, more: number): number {
  let n = 0;
  while (random.chance(more)) n++;
  return n;
}

/** One session of attempts (started, then completed or failed; sometimes played again). */
function playSession(
  random: Random,
  start: number,
  distinctId: string,
  variant: Variant,
  out: DraftEvent[],
): void {
  const sessionId = uuid(random);
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
  for (;;) {
    emit(at, 'puzzle_started');
    at += MEMORIZE_SECONDS * SECOND;
    if (random.chance(0.8)) {
      const seconds = Math.min(59.999, Math.round(5000 * Math.exp(0.7 * random.normal())) / 1000);
      at += Math.round(seconds * SECOND);
      emit(at, 'puzzle_completed', {
        completionSeconds: seconds,
        correctWords: PINEAPPLES,
        totalGuesses: PINEAPPLES + geometric(random, 0.4),
      });
      if (!random.chance(0.25)) return;
      at += random.int(2 * SECOND, 20 * SECOND);
      emit(at, 'puzzle_repeated');
      at += random.int(300, 1500);
    } else {
      at += TIME_LIMIT_SECONDS * SECOND;
      emit(at, 'puzzle_failed');
      if (!random.chance(0.3)) return;
      at += random.int(2 * SECOND, 15 * SECOND);
    }
  }
}

/** The days (offsets from day 0) a player is active: day 0, then each later day by chance. */
function activeOffsets(random: Random, behaviour: ReturnBehaviour, daysLeft: number): number[] {
  const offsets = [0];
  let yesterday = true;
  for (let k = 1; k < daysLeft; k++) {
    const base = behaviour.returnBase * 0.5 ** ((k - 1) / behaviour.halfLifeDays);
    const p = Math.min(0.95, base + (yesterday ? behaviour.streakBonus : 0));
    yesterday = random.chance(p);
    if (yesterday) offsets.push(k);
  }
  return offsets;
}

/** Generates `posthog_events` rows for explicit parameters (ordered by id, ids from 1). */
export function generateRetentionEvents(params: RetentionScenario, seed: number): EventRow[] {
  assertSeed(seed);
  const random = createRandom(seed);
  const firstDay = dayOf(params.startDate);
  const drafts: DraftEvent[] = [];

  for (let p = 0; p < params.players; p++) {
    const distinctId = uuid(random);
    const variant: Variant = random.chance(params.shareB) ? 'B' : 'A';
    const day0 = random.chance(params.lateShare)
      ? params.days - 7 + random.int(0, 6)
      : random.int(0, params.days - 1);
    const mixed = random.chance(params.blemishes.mixedPlayer);
    const first = drafts.length;
    for (const offset of activeOffsets(random, params[variant], params.days - day0)) {
      const sessions = 1 + geometric(random, params[variant].extraSession);
      for (let s = 0; s < sessions; s++) {
        // Mostly daytime play; a late session may run past midnight into the next UTC day.
        const start =
          (firstDay + day0 + offset) * DAY_MS + random.int(6 * HOUR, 24 * HOUR - MINUTE);
        playSession(random, start, distinctId, variant, drafts);
      }
    }
    const mine = drafts.slice(first);
    // A player's first event sometimes fires before the flag loads.
    const earliest = mine.reduce((a, b) => (b.at < a.at ? b : a), mine[0]!);
    if (random.chance(params.blemishes.startBeforeFlag)) earliest.variant = null;
    // A mixed player: their latest session recorded under the other variant (e.g. a second device).
    if (mixed) {
      const latest = mine.reduce((a, b) => (b.at > a.at ? b : a), mine[0]!);
      if (latest.sessionId !== earliest.sessionId) {
        const other: Variant = variant === 'A' ? 'B' : 'A';
        for (const d of mine) if (d.sessionId === latest.sessionId) d.variant = other;
      }
    }
  }

  // Stable sort keeps generation order for equal instants, so ties are deterministic too.
  drafts.sort((a, b) => a.at - b.at);
  const lastInstant = (firstDay + params.days) * DAY_MS;
  return drafts
    .filter((d) => d.at < lastInstant)
    .map((d, index) => ({
      id: index + 1,
      event: d.event,
      distinct_id: random.chance(params.blemishes.missingPlayer) ? null : d.distinctId,
      session_id: d.sessionId,
      timestamp: formatTimestamptz(d.at),
      variant: d.variant,
      feature_flag_response: d.variant,
      completion_time_seconds: d.completionSeconds,
      correct_words_count: d.correctWords,
      total_guesses_count: d.totalGuesses,
    }));
}

/** The dataset of a named scenario; `seed` defaults to the scenario's own. */
export function generateRetentionDataset(
  scenario: RetentionScenarioName = RETENTION_DEFAULT_SCENARIO,
  seed?: number,
): EventRow[] {
  if (!isRetentionScenarioName(scenario)) {
    throw new RangeError(
      `unknown scenario "${String(scenario)}"; known: ${RETENTION_SCENARIO_NAMES.join(', ')}`,
    );
  }
  const params = retentionScenarios[scenario];
  return generateRetentionEvents(params, seed ?? params.defaultSeed);
}
