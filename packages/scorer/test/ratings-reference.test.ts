/**
 * Bradley–Terry ratings against the reference implementation (fixtures/ratings/ratings.json, from
 * scripts/generate_rating_fixtures.py with Debian's python3: the same penalised likelihood written
 * vote by vote and maximised by SciPy), to 1e-6 rating points, per prompt and overall.
 */
import { describe, expect, test } from 'vitest';
import { fitRatings, type RatingFit } from '../src/score-stats/index.js';
import { ratingFixtures, type ExpectedFit } from './ratings-fixtures.js';

function expectSameFit(actual: RatingFit, expected: ExpectedFit): void {
  const groupsOf = (groups: { models: { model: string }[] }[]) =>
    groups.map((g) => g.models.map((m) => m.model).sort()).sort();
  expect(groupsOf(actual.groups)).toEqual(groupsOf(expected.groups));
  expect(actual.unrated.map((u) => u.model)).toEqual(expected.unrated);
  expect(actual.votes).toEqual(expected.votes);
  const want = new Map(expected.groups.flatMap((g) => g.models.map((m) => [m.model, m])));
  for (const group of actual.groups) {
    for (const { model, rating, votes } of group.models) {
      const reference = want.get(model)!;
      expect(
        Math.abs(rating - reference.rating),
        `${model}: ${rating} vs ${reference.rating}`,
      ).toBeLessThan(1e-6);
      const { model: _name, rating: _rating, ...counts } = reference;
      expect(votes).toEqual(counts);
    }
    const mean = group.models.reduce((sum, m) => sum + m.rating, 0) / group.models.length;
    expect(Math.abs(mean - 1000)).toBeLessThan(1e-9);
  }
}

describe('ratings equal the SciPy reference', () => {
  test('the fixtures were made by the reference script and hold every kind of vote set', () => {
    expect(ratingFixtures.generator.script).toBe(
      'packages/scorer/scripts/generate_rating_fixtures.py',
    );
    expect(ratingFixtures.cases.map((c) => c.name)).toEqual([
      'ties',
      'disconnected',
      'undefeated',
      'all-agree',
      'single-vote',
      'many-models',
    ]);
    // The reference really maximised: its gradient is zero to rounding.
    for (const c of ratingFixtures.cases)
      for (const g of c.expected.overall.groups) expect(g.max_abs_gradient).toBeLessThan(1e-10);
  });

  for (const fixture of ratingFixtures.cases) {
    test(`${fixture.name}: overall and per prompt`, () => {
      const ratings = fitRatings(fixture.votes, { bootstrap: 0 });
      expectSameFit(ratings.overall, fixture.expected.overall);
      expect(ratings.benchmarks.map((b) => b.benchmark)).toEqual(
        Object.keys(fixture.expected.benchmarks).sort(),
      );
      for (const fit of ratings.benchmarks)
        expectSameFit(fit, fixture.expected.benchmarks[fit.benchmark]!);
    });
  }
});
