import { describe, expect, it } from 'vitest';
import { SegmentEventRowsSchema } from '../../segment-events.js';
import { generateAnomalyDataset } from '../generator.js';
import { computeAnomalyOracle } from '../oracle.js';
import { SCENARIO_NAMES } from '../scenarios.js';

describe('anomaly-days generator', () => {
  it.each(SCENARIO_NAMES)(
    '%s: deterministic, schema-valid rows in id and time order over 13 weeks',
    (scenario) => {
      const rows = generateAnomalyDataset(scenario);
      expect(JSON.stringify(generateAnomalyDataset(scenario))).toBe(JSON.stringify(rows));
      expect(SegmentEventRowsSchema.safeParse(rows).success).toBe(true);
      rows.forEach((row, i) => expect(row.id).toBe(i + 1));
      const times = rows.map((r) => Date.parse(r.timestamp));
      expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
      const oracle = computeAnomalyOracle(rows);
      expect([oracle.first_date, oracle.days.length]).toEqual(['2026-01-05', 91]);
    },
  );
  it('weekend-trap: every weekend day is busier than every weekday of its week', () => {
    const { days } = computeAnomalyOracle(generateAnomalyDataset('weekend-trap'));
    for (let w = 0; w + 7 <= days.length; w += 7) {
      const week = days.slice(w, w + 7).map((d) => d.count);
      // Planted days aside (outage, holiday), weekends are busier.
      const weekdays = week
        .slice(0, 5)
        .filter((c, i) => !['2026-02-19', '2026-03-18'].includes(days[w + i]!.date) && c > 0);
      expect(Math.min(week[5]!, week[6]!)).toBeGreaterThan(Math.max(...weekdays));
    }
  });
  it('rejects an unknown scenario or a bad seed, and a row with a bad timestamp', () => {
    expect(() => generateAnomalyDataset('nope')).toThrow(
      /unknown scenario "nope"; known: canonical/,
    );
    expect(() => generateAnomalyDataset('quiet', 1.5)).toThrow(/seed must be an integer/);
    const [row] = generateAnomalyDataset('quiet');
    expect(() =>
      computeAnomalyOracle([{ ...row!, event: 'puzzle_started', timestamp: 'soon' }]),
    ).toThrow(/row 1: timestamp "soon" is not an ISO 8601 instant/);
  });
});
