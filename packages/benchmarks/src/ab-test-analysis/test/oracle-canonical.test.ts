/**
 * The article's reference figures and each scenario's decision, asserted from the SciPy fixture
 * values (computed by scripts/generate_oracle_fixtures.py from the generated rows), and the oracle
 * agreeing with them. A failure here means the generated data misses the article, not that the
 * oracle is wrong (that is test/oracle.test.ts).
 */
import { SCENARIO_NAMES } from '../../index.js';
import { describe, expect, test } from 'vitest';
import { computeOracle, type Oracle } from '../../index.js';
import { closeEnough, scenarioFixtures } from './oracle-fixtures.js';

const fixtures = new Map(scenarioFixtures().map((f) => [f.scenario, f]));

/** The SciPy value at a dotted path, checked to be a number, with the oracle's value beside it. */
function figure(scenario: string, path: string): { scipy: number; oracle: number | null } {
  const fixture = fixtures.get(scenario);
  if (!fixture) throw new Error(`no fixture for scenario ${scenario}; regenerate fixtures`);
  const pick = (root: unknown): unknown =>
    path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root);
  const scipy = pick(fixture.expected);
  if (typeof scipy !== 'number')
    throw new Error(`${scenario} ${path}: SciPy gave ${String(scipy)}`);
  const oracle = pick(oracleOf(scenario)) as number | null;
  return { scipy, oracle };
}

const oracles = new Map<string, Oracle>();
function oracleOf(scenario: string): Oracle {
  if (!oracles.has(scenario)) oracles.set(scenario, computeOracle(fixtures.get(scenario)!.rows()));
  return oracles.get(scenario)!;
}

function expectWithin(scenario: string, path: string, target: number, tolerance: number): void {
  const { scipy, oracle } = figure(scenario, path);
  expect(
    Math.abs(scipy - target),
    `${scenario} ${path}: SciPy ${scipy}, target ${target} ± ${tolerance}`,
  ).toBeLessThanOrEqual(tolerance);
  expect(
    oracle !== null && closeEnough(oracle, scipy),
    `${scenario} ${path}: oracle ${oracle}, SciPy ${scipy}`,
  ).toBe(true);
}

function decision(scenario: string): { status: unknown; recommended_variant: unknown } {
  const { expected } = fixtures.get(scenario)!;
  const oracle = oracleOf(scenario);
  expect([oracle.status, oracle.recommended_variant]).toEqual([
    expected.status,
    expected.recommended_variant,
  ]);
  return { status: expected.status, recommended_variant: expected.recommended_variant };
}

test('there is a fixture for every named scenario', () => {
  expect([...fixtures.keys()].sort()).toEqual([...SCENARIO_NAMES].sort());
});

describe('canonical dataset reproduces the article', () => {
  test('attempt-level completion rate A 88.9%, B 70.7% (±1 pp)', () => {
    expectWithin('canonical', 'completion_rate_a', 0.889, 0.01);
    expectWithin('canonical', 'completion_rate_b', 0.707, 0.01);
  });
  test('mean completion time A 5.7 s, B 8.9 s (±0.2 s)', () => {
    expectWithin('canonical', 'mean_a', 5.7, 0.2);
    expectWithin('canonical', 'mean_b', 8.9, 0.2);
  });
  test('Welch two-sided p in [0.0004, 0.0008]', () => {
    expectWithin('canonical', 'p_value', 0.0006, 0.0002);
  });
  test("Cohen's d 0.40 ± 0.03", () => {
    expectWithin('canonical', 'cohens_d', 0.4, 0.03);
  });
  test('no sample ratio mismatch (SRM p > 0.05)', () => {
    const { scipy, oracle } = figure('canonical', 'srm_p_value');
    expect(scipy).toBeGreaterThan(0.05);
    expect(oracle).not.toBeNull();
    expect(closeEnough(oracle!, scipy)).toBe(true);
  });
  test('the session-level trap: ever-completed rates near A 95.6%, B 96.5% (±1.5 pp)', () => {
    expectWithin('canonical', 'variants.A.session_completion_rate', 0.956, 0.015);
    expectWithin('canonical', 'variants.B.session_completion_rate', 0.965, 0.015);
  });
  test('recommends A', () => {
    expect(decision('canonical')).toEqual({ status: 'significant', recommended_variant: 'A' });
  });
});

describe("each scenario's decision", () => {
  test('b-wins: significant, B', () => {
    expect(decision('b-wins')).toEqual({ status: 'significant', recommended_variant: 'B' });
  });
  test('no-effect: not significant, no recommendation', () => {
    expect(decision('no-effect')).toEqual({ status: 'not_significant', recommended_variant: null });
  });
  test('srm: inconclusive, no recommendation', () => {
    expect(decision('srm')).toEqual({ status: 'inconclusive', recommended_variant: null });
    expect(figure('srm', 'srm_p_value').scipy).toBeLessThan(0.01);
  });
  test('guardrail-blocks: significant, and a guardrail overturns the faster variant', () => {
    const { status, recommended_variant } = decision('guardrail-blocks');
    expect(status).toBe('significant');
    const meanA = figure('guardrail-blocks', 'mean_a').scipy;
    const meanB = figure('guardrail-blocks', 'mean_b').scipy;
    const faster = meanA < meanB ? 'a' : 'b';
    const slower = faster === 'a' ? 'b' : 'a';
    expect(recommended_variant).toBe(slower.toUpperCase());
    const worse = (metric: 'completion' | 'repeat'): boolean =>
      figure('guardrail-blocks', `${metric}_p_value`).scipy < 0.05 &&
      figure('guardrail-blocks', `${metric}_rate_${faster}`).scipy <
        figure('guardrail-blocks', `${metric}_rate_${slower}`).scipy;
    expect(worse('completion') || worse('repeat')).toBe(true);
  });
  test('large-paginated: more rows than one 1000-row page', () => {
    expect(fixtures.get('large-paginated')!.expected.rows_total).toBeGreaterThan(1000);
    expect(oracleOf('large-paginated').rows_total).toBe(
      fixtures.get('large-paginated')!.expected.rows_total,
    );
  });
});
