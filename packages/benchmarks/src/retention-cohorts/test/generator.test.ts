import { describe, expect, it } from 'vitest';
import { RetentionRowsSchema as EventRowsSchema } from '../events.js';
import { dayOf, isoDate, mondayOnOrBefore, parseTimestamptz, utcDay } from '../days.js';
import { generateRetentionDataset, generateRetentionEvents } from '../generator.js';
import { computeRetentionOracle } from '../oracle.js';
import { RETENTION_SCENARIO_NAMES, retentionScenarios } from '../scenarios.js';

const EXPECTED: Record<string, { status: string; variant: string | null }> = {
  canonical: { status: 'significant', variant: 'B' },
  'no-effect': { status: 'not_significant', variant: null },
  srm: { status: 'inconclusive', variant: null },
  'censoring-trap': { status: 'significant', variant: 'B' },
  'large-paginated': { status: 'significant', variant: 'B' },
};

describe('retention generator', () => {
  it.each(RETENTION_SCENARIO_NAMES)(
    '%s: valid rows, eight weeks, and the decision its name says',
    (scenario) => {
      const rows = generateRetentionDataset(scenario);
      expect(EventRowsSchema.safeParse(rows).success).toBe(true);
      expect(rows.map((r) => r.id)).toEqual(rows.map((_, i) => i + 1));
      const days = rows.map((r) => utcDay(parseTimestamptz(r.timestamp)!));
      expect(Math.max(...days) - Math.min(...days)).toBe(55);
      for (const r of rows)
        expect(r.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?\+00:00$/);
      const oracle = computeRetentionOracle(rows);
      expect({ status: oracle.status, variant: oracle.recommended_variant }).toEqual({
        status: EXPECTED[scenario]!.status,
        variant: EXPECTED[scenario]!.variant,
      });
      expect(rows.length).toBeGreaterThan(1000);
      if (scenario === 'large-paginated') expect(rows.length).toBeGreaterThan(5000);
      // Real-data blemishes the analysis must handle.
      expect(oracle.excluded.null_variant).toBeGreaterThan(0);
      expect(oracle.mixed_players).toBeGreaterThan(0);
    },
  );

  it('is deterministic per seed and differs between seeds', () => {
    const params = retentionScenarios.canonical;
    expect(generateRetentionEvents(params, 7)).toEqual(generateRetentionEvents(params, 7));
    expect(generateRetentionEvents(params, 8)).not.toEqual(generateRetentionEvents(params, 7));
  });

  it('censoring-trap has many recent players', () => {
    const oracle = computeRetentionOracle(generateRetentionDataset('censoring-trap'));
    const players = oracle.variants.A.players + oracle.variants.B.players;
    const eligible = oracle.d7_eligible_a + oracle.d7_eligible_b;
    expect(1 - eligible / players).toBeGreaterThan(0.4);
  });

  it('rejects an unknown scenario and a bad seed with clear errors', () => {
    expect(() => generateRetentionDataset('nope' as never)).toThrow(
      /unknown scenario "nope"; known: canonical/,
    );
    expect(() => generateRetentionDataset('canonical', -1)).toThrow(/seed must be an integer/);
  });
});

describe('UTC days', () => {
  it('reads PostgREST timestamps and other offsets as instants', () => {
    expect(parseTimestamptz('2026-10-01T09:15:02.123+00:00')).toBe(
      Date.UTC(2026, 9, 1, 9, 15, 2, 123),
    );
    expect(parseTimestamptz('2026-10-01 01:00:00+05:30')).toBe(Date.UTC(2026, 8, 30, 19, 30));
    expect(parseTimestamptz('2026-10-01T23:30:00-0800')).toBe(Date.UTC(2026, 9, 2, 7, 30));
    expect(parseTimestamptz('2026-10-01T09:15:02.123456Z')).toBe(
      Date.UTC(2026, 9, 1, 9, 15, 2, 123),
    );
    for (const bad of [
      '2026-02-30T00:00:00+00:00',
      '2026-10-01T09:15:02',
      'yesterday',
      '2026-10-01T24:00:00+00:00',
    ]) {
      expect(parseTimestamptz(bad), bad).toBeNull();
    }
  });
  it('finds the Monday on or before a day', () => {
    expect(isoDate(mondayOnOrBefore(dayOf('2026-08-03')))).toBe('2026-08-03'); // a Monday
    expect(isoDate(mondayOnOrBefore(dayOf('2026-08-09')))).toBe('2026-08-03'); // a Sunday
    expect(isoDate(mondayOnOrBefore(dayOf('1970-01-01')))).toBe('1969-12-29');
  });
  it('stops on a usable row whose timestamp is not a timestamptz, naming the row', () => {
    const rows = generateRetentionDataset('canonical').slice(0, 5);
    rows[3] = { ...rows[3]!, variant: 'A', distinct_id: 'x', timestamp: 'not a time' };
    expect(() => computeRetentionOracle(rows)).toThrow(/row 4: timestamp "not a time"/);
  });
});
