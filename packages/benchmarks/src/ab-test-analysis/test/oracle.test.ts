/**
 * SciPy parity: the oracle against fixtures computed by scripts/generate_oracle_fixtures.py with
 * scipy.stats, field by field. Where SciPy defines a value the oracle must agree within 1e-9
 * relative or 1e-300 absolute; where it does not (null in the fixture) the oracle must be null and
 * say why.
 */
import { describe, expect, test } from 'vitest';
import { computeOracle, oracleRawStats, type Oracle } from '../../index.js';
import {
  closeEnough,
  randomFixtures,
  scenarioFixtures,
  type Expected,
  type OracleFixture,
} from './oracle-fixtures.js';

/** Every disagreement between the oracle and the expected values, as readable lines. */
function disagreements(oracle: Oracle, expected: Expected): string[] {
  const problems: string[] = [];
  const walk = (actual: unknown, want: Expected[string], path: string): void => {
    if (want === null && path === 'recommended_variant') {
      if (actual !== null) problems.push(`${path}: oracle ${String(actual)}, expected null`);
    } else if (want === null) {
      if (actual !== null)
        problems.push(`${path}: SciPy leaves it undefined, oracle gave ${String(actual)}`);
      else if (!oracle.undefined_reasons[path])
        problems.push(`${path}: null without a reason in undefined_reasons`);
    } else if (typeof want === 'number') {
      if (typeof actual !== 'number' || !closeEnough(actual, want)) {
        problems.push(`${path}: oracle ${String(actual)}, SciPy ${want}`);
      }
    } else if (typeof want === 'string' || Array.isArray(want)) {
      if (JSON.stringify(actual) !== JSON.stringify(want)) {
        problems.push(
          `${path}: oracle ${JSON.stringify(actual)}, expected ${JSON.stringify(want)}`,
        );
      }
    } else {
      for (const [key, value] of Object.entries(want)) {
        const child =
          typeof actual === 'object' && actual !== null
            ? (actual as Record<string, unknown>)[key]
            : undefined;
        walk(child, value, path ? `${path}.${key}` : key);
      }
    }
  };
  walk(oracle, expected, '');
  return problems;
}

function checkFixture(fixture: OracleFixture): void {
  const oracle = computeOracle(fixture.rows());
  expect(disagreements(oracle, fixture.expected)).toEqual([]);
  // Every null field of the oracle has a reason, including fields the fixture does not list.
  for (const [field, value] of Object.entries(oracle)) {
    if (value === null && field !== 'recommended_variant')
      expect(oracle.undefined_reasons[field], field).toMatch(/\w/);
  }
}

const random = randomFixtures();
const scenarios = scenarioFixtures();

describe('SciPy parity on random datasets', () => {
  test('there are at least 50, computed by a named interpreter and SciPy version', () => {
    expect(random.length).toBeGreaterThanOrEqual(50);
    for (const f of random) expect(f.generator.scipy).toMatch(/^\d+\.\d+/);
  });
  test.each(random.map((f) => [f.file, f] as const))('%s', (_file, fixture) =>
    checkFixture(fixture),
  );
});

describe('SciPy parity on the named scenarios', () => {
  test.each(scenarios.map((f) => [f.file, f] as const))('%s', (_file, fixture) =>
    checkFixture(fixture),
  );
});

describe('the parity check itself', () => {
  const [fixture] = random.filter((f) => f.expected.p_value !== null);
  test('notices a value that is off by more than the tolerance', () => {
    const oracle = computeOracle(fixture!.rows());
    const nudged = { ...oracle, p_value: oracle.p_value! * (1 + 1e-8) };
    expect(disagreements(nudged, fixture!.expected)).toEqual([expect.stringMatching(/^p_value: /)]);
  });
  test('notices a null without a reason', () => {
    const oracle = computeOracle(fixture!.rows());
    const expected = { ...fixture!.expected, p_value: null };
    expect(disagreements({ ...oracle, p_value: null }, expected)).toEqual([
      'p_value: null without a reason in undefined_reasons',
    ]);
  });
});

describe('oracleRawStats', () => {
  test('picks exactly the raw_stats fields', () => {
    const oracle = computeOracle(random[0]!.rows());
    const raw = oracleRawStats(oracle);
    expect(Object.keys(raw).sort()).toEqual(
      [
        'p_value',
        'cohens_d',
        'mean_a',
        'mean_b',
        'std_a',
        'std_b',
        'completion_rate_a',
        'completion_rate_b',
        'repeat_rate_a',
        'repeat_rate_b',
        'srm_p_value',
      ].sort(),
    );
    for (const [key, value] of Object.entries(raw)) expect(value).toBe(oracle[key as keyof Oracle]);
  });
});
