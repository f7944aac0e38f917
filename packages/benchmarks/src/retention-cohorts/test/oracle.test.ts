import { describe, expect, it } from 'vitest';
import { computeRetentionOracle } from '../oracle.js';
import { randomFixtures, scenarioFixtures } from './fixtures.js';

/** Parity rule: numbers within 1e-9 relative (1e-15 absolute near 0); counts, dates, labels and nulls exact. */
function compare(actual: unknown, expected: unknown, path: string, problems: string[]): void {
  if (expected === null || typeof expected !== 'object') {
    if (typeof expected === 'number' && typeof actual === 'number' && !Number.isInteger(expected)) {
      if (Math.abs(actual - expected) > 1e-9 * Math.abs(expected) + 1e-15) {
        problems.push(`${path}: ${actual} vs SciPy ${expected}`);
      }
    } else if (actual !== expected) {
      problems.push(`${path}: ${JSON.stringify(actual)} vs SciPy ${JSON.stringify(expected)}`);
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      problems.push(
        `${path}: length ${Array.isArray(actual) ? actual.length : 'n/a'} vs ${expected.length}`,
      );
      return;
    }
    expected.forEach((e, i) => compare(actual[i], e, `${path}[${i}]`, problems));
    return;
  }
  for (const [key, e] of Object.entries(expected)) {
    compare((actual as Record<string, unknown> | null)?.[key], e, `${path}.${key}`, problems);
  }
}

const all = [...scenarioFixtures(), ...randomFixtures()];

describe('retention oracle against SciPy/statsmodels fixtures', () => {
  it('has every scenario and at least 30 random datasets, with the issue edge cases', () => {
    const names = all.map((f) => f.name);
    for (const s of ['canonical', 'no-effect', 'srm', 'censoring-trap', 'large-paginated']) {
      expect(names).toContain(s);
    }
    expect(randomFixtures().length).toBeGreaterThanOrEqual(30);
    const noEligibleB = all.find((f) => f.name === 'no-eligible-b')!;
    expect(noEligibleB.expected.d7_eligible_b).toBe(0);
    expect(noEligibleB.expected.d7_eligible_a).toBeGreaterThan(0);
    const short = all.find((f) => f.name === 'end-one-day-after-first')!;
    const first = Date.parse(short.expected.first_day as string);
    expect(Date.parse(short.expected.data_end as string) - first).toBe(86_400_000);
  });

  it.each(all.map((f) => [f.file, f] as const))('%s', (_file, fixture) => {
    const oracle = computeRetentionOracle(fixture.rows());
    const problems: string[] = [];
    compare(oracle, fixture.expected, 'oracle', problems);
    expect(problems).toEqual([]);
  });

  it('gives a reason for every null raw_stats figure', () => {
    for (const f of all) {
      const oracle = computeRetentionOracle(f.rows());
      for (const field of [
        'd7_retention_a',
        'd7_retention_b',
        'd7_p_value',
        'd7_diff_ci_low',
        'srm_p_value',
      ] as const) {
        if (oracle[field] === null)
          expect(oracle.undefined_reasons[field], `${f.name}.${field}`).toMatch(/\w/);
      }
    }
  });
});
