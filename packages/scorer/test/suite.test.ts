import { describe, expect, it } from 'vitest';
import type { Comparability } from '../src/comparability.js';
import { describeSuiteScore, suiteScores, type SuiteTrial } from '../src/score-stats/suite.js';

const MEMBERS = ['alpha', 'beta'];

function trial(
  benchmark: string,
  pct: number,
  over: Partial<Comparability> & { model?: string } = {},
): SuiteTrial {
  const { model = 'm1', ...comparability } = over;
  return {
    model,
    pct,
    comparability: {
      benchmark: { id: benchmark, version: '1.0.0' },
      scorerVersion: '0.2.0',
      mode: 'full',
      protocol: 'fenced',
      packages: 'full',
      judgedTotal: 100,
      scenario: 'canonical',
      ...comparability,
    },
  };
}

describe('suite scores', () => {
  it("is the unweighted mean of each member's mean over its trials", () => {
    const [suite] = suiteScores(MEMBERS, [
      trial('alpha', 100),
      trial('alpha', 80),
      trial('beta', 50),
    ]);
    // alpha's mean is 90 over two trials, beta's 50 over one: (90 + 50) / 2, not (100 + 80 + 50) / 3.
    expect(suite!.score).toBe(70);
    expect(suite!.members.map((m) => [m.benchmark, m.trials, m.mean])).toEqual([
      ['alpha', 2, 90],
      ['beta', 1, 50],
    ]);
    expect(describeSuiteScore(suite!)).toBe('70');
  });

  it('says which members are missing instead of scoring a partial suite', () => {
    const [suite] = suiteScores(MEMBERS, [trial('alpha', 100)]);
    expect(suite!.score).toBeNull();
    expect(suite!.missing).toEqual(['beta']);
    expect(describeSuiteScore(suite!)).toBe('incomplete: missing beta');
  });

  it('keeps models and conditions apart, and ignores benchmarks outside the suite', () => {
    const scores = suiteScores(MEMBERS, [
      trial('alpha', 100),
      trial('beta', 100),
      trial('alpha', 40, { model: 'm2' }),
      trial('beta', 60, { model: 'm2' }),
      trial('alpha', 10, { packages: 'stdlib-only', judgedTotal: 95 }),
      trial('gamma', 0),
    ]);
    expect(scores.map((s) => [s.model, s.conditions, s.score])).toEqual([
      ['m1', 'scorer 0.2.0 · full mode · fenced protocol · full packages', 100],
      ['m2', 'scorer 0.2.0 · full mode · fenced protocol · full packages', 50],
      ['m1', 'scorer 0.2.0 · full mode · fenced protocol · standard library only', null],
    ]);
    expect(scores[2]!.missing).toEqual(['beta']);
  });

  it("does not pool a member's trials from different comparability groups (two scenarios)", () => {
    const [suite] = suiteScores(MEMBERS, [
      trial('alpha', 100),
      trial('alpha', 20, { scenario: 'srm' }),
      trial('beta', 50),
    ]);
    expect(suite!.score).toBeNull();
    expect(suite!.mixed).toEqual(['alpha']);
    expect(suite!.members[0]!.mean).toBeNull();
    expect(describeSuiteScore(suite!)).toBe(
      'incomplete: alpha has trials in more than one comparability group',
    );
  });
});
