import { describe, expect, it } from 'vitest';
import { scenarios, SCENARIO_NAMES } from '../scenarios.js';
import { computeLaunchOracle } from '../oracle.js';
import { closeTo, randomFixtures, scenarioFixtures, type LaunchFixture } from './fixtures.js';

/** Compares the oracle with a fixture: counts, strata and decision exactly, statistics at 1e-9. */
function expectParity(fixture: LaunchFixture): void {
  const oracle = computeLaunchOracle(fixture.rows());
  const e = fixture.expected as {
    usable_rows: number;
    excluded: unknown;
    counts: unknown;
    strata: unknown;
    raw_stats: Record<string, number | null>;
    pooled_chi2: number | null;
    cmh_statistic: number | null;
    status: string;
    direction: string | null;
    recommendation: string | null;
  };
  expect(oracle.usable_rows).toBe(e.usable_rows);
  expect(oracle.excluded).toEqual(e.excluded);
  expect(oracle.counts).toEqual(e.counts);
  expect(oracle.strata).toEqual(e.strata);
  const mismatches: string[] = [];
  const figures: [string, number | null, number | null][] = [
    ...Object.entries(e.raw_stats).map(
      ([k, v]) =>
        [k, oracle.raw_stats[k as keyof typeof oracle.raw_stats], v] as [
          string,
          number | null,
          number | null,
        ],
    ),
    ['pooled_chi2', oracle.pooled_chi2, e.pooled_chi2],
    ['cmh_statistic', oracle.cmh_statistic, e.cmh_statistic],
  ];
  for (const [field, actual, expected] of figures) {
    if (!closeTo(actual, expected))
      mismatches.push(`${field}: oracle ${actual}, SciPy/statsmodels ${expected}`);
  }
  expect(mismatches).toEqual([]);
  expect(Object.keys(oracle.raw_stats).sort()).toEqual(Object.keys(e.raw_stats).sort());
  expect([oracle.status, oracle.direction, oracle.recommendation]).toEqual([
    e.status,
    e.direction,
    e.recommendation,
  ]);
  // Every null figure says why.
  for (const [field, value] of Object.entries(oracle.raw_stats)) {
    if (value === null)
      expect(oracle.undefined_reasons[field as keyof typeof oracle.raw_stats]).toBeTruthy();
  }
}

describe('launch-segments oracle vs SciPy/statsmodels fixtures', () => {
  const random = randomFixtures();
  it('has at least 30 random datasets and the edge cases the issue names', () => {
    expect(random.filter((f) => f.name.startsWith('random-')).length).toBeGreaterThanOrEqual(30);
    expect(random.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'no-started-mobile',
        'mobile-only-completions',
        'single-event-stratum',
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

describe('launch-segments scenarios decide what their names say', () => {
  const decide = (name: string) =>
    computeLaunchOracle(
      scenarioFixtures()
        .find((f) => f.scenario === name)!
        .rows(),
    );
  it('canonical: pooled rises, each platform falls, roll back (Simpson’s paradox)', () => {
    const o = decide('canonical');
    const s = o.raw_stats;
    expect(s.pooled_rate_after!).toBeGreaterThan(s.pooled_rate_before!);
    expect(s.pooled_p_value!).toBeLessThan(0.05);
    expect(s.rate_after_mobile!).toBeLessThan(s.rate_before_mobile!);
    expect(s.rate_after_desktop!).toBeLessThan(s.rate_before_desktop!);
    expect(o.recommendation).toBe('roll_back');
  });
  it('true-gain keeps, no-change is not significant, large-paginated rolls back over many pages', () => {
    expect(decide('true-gain').recommendation).toBe('keep');
    expect(decide('no-change').status).toBe('not_significant');
    expect(decide('no-change').raw_stats.pooled_p_value!).toBeLessThan(0.05);
    const large = scenarioFixtures()
      .find((f) => f.scenario === 'large-paginated')!
      .rows();
    expect(large.length).toBeGreaterThan(10_000);
    expect(computeLaunchOracle(large).recommendation).toBe('roll_back');
  });
});
