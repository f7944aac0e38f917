import { AB_TEST_TABLE } from '../../index.js';
import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  EventRowsSchema,
  generateDataset,
  SCENARIO_NAMES,
  scenarios,
  toJson,
  type EventRow,
  type ScenarioName,
} from '../../index.js';

const DAY_MS = 24 * 3600 * 1000;
const bySession = (rows: EventRow[]): Map<string, EventRow[]> => {
  const groups = new Map<string, EventRow[]>();
  for (const row of rows) {
    if (row.session_id === null) continue;
    groups.set(row.session_id, [...(groups.get(row.session_id) ?? []), row]);
  }
  return groups;
};

describe('generateDataset determinism', () => {
  it('gives identical bytes for the same scenario and seed', () => {
    for (const scenario of SCENARIO_NAMES) {
      expect(toJson(generateDataset(scenario, 5), AB_TEST_TABLE)).toBe(
        toJson(generateDataset(scenario, 5), AB_TEST_TABLE),
      );
    }
  });

  it('defaults to the canonical scenario and its default seed', () => {
    expect(generateDataset()).toEqual(
      generateDataset('canonical', scenarios.canonical.defaultSeed),
    );
  });

  it('gives different rows for a different seed', () => {
    expect(toJson(generateDataset('canonical', 1), AB_TEST_TABLE)).not.toBe(
      toJson(generateDataset('canonical', 2), AB_TEST_TABLE),
    );
  });

  it('refuses unknown scenarios and bad seeds clearly', () => {
    expect(() => generateDataset('nope' as ScenarioName)).toThrow(
      'unknown scenario "nope"; known: canonical, b-wins, no-effect, srm, guardrail-blocks, large-paginated',
    );
    expect(() => generateDataset('canonical', -1)).toThrow(/seed must be an integer/);
  });
});

// Invariants every dataset must satisfy, checked on each scenario's default seed and on others.
const cases = SCENARIO_NAMES.flatMap((scenario) =>
  [undefined, 11, 12345].map((seed) => ({ scenario, seed })),
);

describe.each(cases)('generated rows of $scenario, seed $seed', ({ scenario, seed }) => {
  const rows = generateDataset(scenario, seed);

  it('are valid table rows with ids 1..n in time order', () => {
    EventRowsSchema.parse(rows);
    rows.forEach((row, i) => expect(row.id).toBe(i + 1));
    for (let i = 1; i < rows.length; i++) {
      expect(Date.parse(rows[i]!.timestamp)).toBeGreaterThanOrEqual(
        Date.parse(rows[i - 1]!.timestamp),
      );
    }
    expect(new Set(rows.map((r) => r.event))).toEqual(new Set(EVENT_TYPES));
  });

  it('fill completion fields on completions only, within the time limit', () => {
    for (const row of rows) {
      const fields = [
        row.completion_time_seconds,
        row.correct_words_count,
        row.total_guesses_count,
      ];
      if (row.event === 'puzzle_completed') {
        expect(fields.every((v) => v !== null)).toBe(true);
        const seconds = row.completion_time_seconds!;
        expect(seconds > 0 && seconds < 60).toBe(true);
        expect(Math.round(seconds * 1000) / 1000).toBe(seconds);
        expect(row.total_guesses_count!).toBeGreaterThanOrEqual(row.correct_words_count!);
      } else {
        expect(fields).toEqual([null, null, null]);
      }
    }
  });

  it('mirror the variant in feature_flag_response and keep it per session', () => {
    for (const row of rows) expect(row.feature_flag_response).toBe(row.variant);
    for (const events of bySession(rows).values()) {
      const variants = new Set(events.map((r) => r.variant).filter((v) => v !== null));
      expect(variants.size).toBe(1);
    }
  });

  it('repeat only right after a completion and before a new start', () => {
    // Grouped by player: a lost session id must not hide the sequence.
    const byPlayer = new Map<string, EventRow[]>();
    for (const row of rows)
      byPlayer.set(row.distinct_id!, [...(byPlayer.get(row.distinct_id!) ?? []), row]);
    for (const events of byPlayer.values()) {
      events.forEach((row, i) => {
        if (row.event !== 'puzzle_repeated') return;
        expect(events[i - 1]?.event).toBe('puzzle_completed');
        expect(events[i + 1]?.event).toBe('puzzle_started');
      });
      expect(events[0]?.event).toBe('puzzle_started');
    }
  });

  it('span weeks of traffic', () => {
    const first = Date.parse(rows[0]!.timestamp);
    const last = Date.parse(rows.at(-1)!.timestamp);
    expect(last - first).toBeGreaterThan(14 * DAY_MS);
  });
});

describe('scenario shapes', () => {
  const shareB = (rows: EventRow[]): number => {
    const sessions = [...bySession(rows).values()].map(
      (events) => events.find((r) => r.variant !== null)?.variant,
    );
    return sessions.filter((v) => v === 'B').length / sessions.length;
  };

  it('randomise sessions about 50/50, except in srm', () => {
    const canonical = shareB(generateDataset('canonical'));
    expect(canonical).toBeGreaterThan(0.4);
    expect(canonical).toBeLessThan(0.6);
    expect(shareB(generateDataset('srm'))).toBeLessThan(0.4);
  });

  it('keep the canonical dataset on one 1000-row page and spread large-paginated over several', () => {
    expect(generateDataset('canonical').length).toBeLessThan(1000);
    const large = generateDataset('large-paginated').length;
    expect(large).toBeGreaterThan(3000);
    expect(large).toBeLessThan(6000);
  });

  it('include the blemishes an analysis must clean: null variants and null sessions', () => {
    const rows = generateDataset('canonical');
    expect(rows.some((r) => r.variant === null && r.session_id !== null)).toBe(true);
    expect(rows.some((r) => r.session_id === null)).toBe(true);
    const nullVariants = rows.filter((r) => r.variant === null);
    expect(nullVariants.every((r) => r.event === 'puzzle_started')).toBe(true);
  });
});
