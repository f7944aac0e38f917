import { describe, expect, it } from 'vitest';
import { getBenchmark } from '../../registry.js';
import { retentionBenchmark } from '../benchmark.js';
import { RETENTION_CHECKS } from '../checks.js';
import { retentionScenarios } from '../scenarios.js';

describe('retention-cohorts definition', () => {
  it('is registered, with 100 points, its scenarios and their seeds', () => {
    expect(getBenchmark('retention-cohorts')).toBe(retentionBenchmark);
    expect(RETENTION_CHECKS.reduce((sum, c) => sum + c.max, 0)).toBe(100);
    expect(retentionBenchmark.scoring.checks).toBe(RETENTION_CHECKS);
    for (const [name, params] of Object.entries(retentionScenarios)) {
      expect(retentionBenchmark.dataset.defaultSeedOf(name)).toBe(params.defaultSeed);
    }
    expect(() => retentionBenchmark.dataset.generate('nope', undefined)).toThrow(
      /unknown scenario "nope"; known: canonical/,
    );
  });

  it('has a stdlib-only demo replay that ends the run', () => {
    const demo = retentionBenchmark.demoReplay as { environment: string; responses: string[] };
    expect(demo.environment).toBe('stdlib-only');
    expect(demo.responses.at(-1)).toMatch(/DONE\s*$/);
  });

  it('gives the figures of an oracle and of a summary under the same names', () => {
    const oracle = retentionBenchmark.scoring.computeOracle(
      retentionBenchmark.dataset.generate('srm', undefined),
    );
    const figures = retentionBenchmark.figures.ofOracle(oracle);
    expect(figures.decision).toEqual({ status: 'inconclusive', recommended_variant: null });
    const summary = {
      status: 'inconclusive',
      recommended_variant: null,
      raw_stats: figures.raw_stats,
    };
    expect(retentionBenchmark.figures.ofSummary(summary)?.raw_stats).toEqual(figures.raw_stats);
    expect(retentionBenchmark.figures.ofSummary('not an object')).toBeNull();
  });

  it('reads an oracle file back, and says what is wrong with a bad one', () => {
    const oracle = retentionBenchmark.scoring.computeOracle(
      retentionBenchmark.dataset.generate('canonical', undefined),
    );
    expect(
      retentionBenchmark.scoring.parseOracle(JSON.parse(JSON.stringify(oracle))),
    ).toMatchObject({
      d7_p_value: oracle.d7_p_value,
    });
    expect(() =>
      retentionBenchmark.scoring.parseOracle({ benchmark: 'retention-cohorts' }),
    ).toThrow(/not a retention-cohorts oracle: [\s\S]*d7_retention_a/);
  });
});
