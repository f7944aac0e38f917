import { describe, expect, it } from 'vitest';
import { computeAnomalyOracle, type DayFigure } from '../oracle.js';
import { scenarios, SCENARIO_NAMES } from '../scenarios.js';
import { randomFixtures, scenarioFixtures, type AnomalyFixture } from './fixtures.js';

const close = (a: number | null, e: number | null): boolean =>
  a === null || e === null ? a === e : Math.abs(a - e) <= 1e-9 * Math.abs(e) + 1e-12;

/** Dates, counts, types, bots and raw_stats exactly; baselines and ratios at 1e-9. */
function expectParity(fixture: AnomalyFixture): void {
  const oracle = computeAnomalyOracle(fixture.rows());
  const e = fixture.expected as {
    first_date: string | null;
    last_date: string | null;
    days: DayFigure[];
    bot_ids: string[];
    raw_stats: unknown;
    anomalies: DayFigure[];
  };
  expect([oracle.first_date, oracle.last_date]).toEqual([e.first_date, e.last_date]);
  expect(oracle.bot_ids).toEqual(e.bot_ids);
  expect(oracle.raw_stats).toEqual(e.raw_stats);
  const exact = (days: DayFigure[]) => days.map((d) => [d.date, d.count, d.type]);
  expect(exact(oracle.days)).toEqual(exact(e.days));
  expect(exact(oracle.anomalies)).toEqual(exact(e.anomalies));
  const off = oracle.days.flatMap((d, i) => {
    const x = e.days[i]!;
    return close(d.baseline, x.baseline) && close(d.ratio, x.ratio)
      ? []
      : [`${d.date}: baseline ${d.baseline} vs ${x.baseline}, ratio ${d.ratio} vs ${x.ratio}`];
  });
  expect(off).toEqual([]);
}

describe('anomaly-days oracle vs pandas fixtures', () => {
  const random = randomFixtures();
  it('has at least 30 random datasets and the edge cases', () => {
    expect(random.filter((f) => f.name.startsWith('random-')).length).toBeGreaterThanOrEqual(30);
    expect(random.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'too-short',
        'zero-baselines',
        'bot-threshold',
        'bot-widens-range',
        'empty',
      ]),
    );
  });
  it.each(random.map((f) => [f.file, f] as const))('%s', (_file, fixture) => expectParity(fixture));

  const named = scenarioFixtures();
  it('covers every scenario at its default seed', () => {
    expect(named.map((f) => f.scenario).sort()).toEqual([...SCENARIO_NAMES].sort());
    for (const f of named)
      expect(f.seed).toBe(scenarios[f.scenario as keyof typeof scenarios].defaultSeed);
  });
  it.each(named.map((f) => [f.file, f] as const))('%s', (_file, fixture) => expectParity(fixture));
});

describe('anomaly-days scenarios flag what their names say', () => {
  const oracleOf = (name: string) => {
    const rows = scenarioFixtures()
      .find((f) => f.scenario === name)!
      .rows();
    return { rows, oracle: computeAnomalyOracle(rows) };
  };
  it('canonical: the outage drop and the holiday spike, the bot found and excluded', () => {
    const { oracle } = oracleOf('canonical');
    expect(oracle.anomalies.map((a) => [a.date, a.type])).toEqual([
      ['2026-02-19', 'drop'],
      ['2026-03-18', 'spike'],
    ]);
    expect(oracle.bot_ids).toHaveLength(1);
    expect(oracle.raw_stats.bot_rows).toBeGreaterThan(2000);
    expect(oracle.raw_stats.days_evaluated).toBe(91 - 28);
  });
  it('quiet flags nothing and has no bot; large-paginated has more than 40,000 rows', () => {
    expect(oracleOf('quiet').oracle.anomalies).toEqual([]);
    expect(oracleOf('quiet').oracle.bot_ids).toEqual([]);
    const large = oracleOf('large-paginated');
    expect(large.rows.length).toBeGreaterThan(40_000);
    expect(large.oracle.anomalies.map((a) => a.type)).toEqual(['drop', 'spike']);
  });
});
