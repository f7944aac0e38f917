import { describe, expect, it } from 'vitest';
import { SegmentEventRowsSchema } from '../../segment-events.js';
import { LAUNCH_MS } from '../definitions.js';
import { generateLaunchDataset } from '../generator.js';
import { computeLaunchOracle } from '../oracle.js';
import { SCENARIO_NAMES } from '../scenarios.js';

describe('launch-segments generator', () => {
  it.each(SCENARIO_NAMES)(
    '%s: deterministic, schema-valid rows in id and time order',
    (scenario) => {
      const rows = generateLaunchDataset(scenario);
      expect(JSON.stringify(generateLaunchDataset(scenario))).toBe(JSON.stringify(rows));
      expect(SegmentEventRowsSchema.safeParse(rows).success).toBe(true);
      rows.forEach((row, i) => expect(row.id).toBe(i + 1));
      const times = rows.map((r) => Date.parse(r.timestamp));
      expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
      expect(rows[0]!.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?\+00:00$/);
    },
  );
  it('has the blemishes the definitions clean out, and launch-morning traffic a date cut misplaces', () => {
    const rows = generateLaunchDataset('canonical');
    expect(rows.some((r) => r.platform === null)).toBe(true);
    expect(rows.some((r) => r.platform === 'tablet')).toBe(true);
    expect(rows.some((r) => r.session_id === null)).toBe(true);
    const midnight = Date.parse('2026-03-02T00:00:00Z');
    const morning = rows.filter((r) => {
      const t = Date.parse(r.timestamp);
      return t >= midnight && t < LAUNCH_MS;
    });
    expect(morning.length).toBeGreaterThan(100);
  });
  it('another seed gives other rows; completions never exceed starts in a cell of a named scenario', () => {
    expect(JSON.stringify(generateLaunchDataset('canonical', 2))).not.toBe(
      JSON.stringify(generateLaunchDataset('canonical')),
    );
    for (const scenario of SCENARIO_NAMES) {
      const { counts } = computeLaunchOracle(generateLaunchDataset(scenario));
      for (const period of ['before', 'after'] as const)
        for (const platform of ['mobile', 'desktop'] as const)
          expect(counts[period][platform].completed).toBeLessThanOrEqual(
            counts[period][platform].started,
          );
    }
  });
  it('rejects an unknown scenario or a bad seed with a clear error, and a row with a bad timestamp', () => {
    expect(() => generateLaunchDataset('nope')).toThrow(
      /unknown scenario "nope"; known: canonical/,
    );
    expect(() => generateLaunchDataset('canonical', -1)).toThrow(/seed must be an integer/);
    const [row] = generateLaunchDataset('canonical');
    expect(() =>
      computeLaunchOracle([{ ...row!, platform: 'mobile', timestamp: 'yesterday' }]),
    ).toThrow(/row 1: timestamp "yesterday" is not an ISO 8601 instant/);
  });
});
