/**
 * Ratings from votes: what the numbers must do beyond matching the reference (ratings-reference.test.ts).
 * Intervals come from a seeded bootstrap that need not match Python's RNG, so their properties are
 * tested here: they contain the estimate, repeat with the seed, and stay inside their group.
 */
import { describe, expect, test } from 'vitest';
import {
  bootstrapIndices,
  fitRatings,
  fitRatingsOfVotes,
  forEachResample,
  parseVotes,
  type RatingFit,
  type Vote,
  type VoteOutcome,
  solveSymmetricPositiveDefinite,
} from '../src/score-stats/index.js';
import { ratingCase, ratingFixtures } from './ratings-fixtures.js';

let counter = 0;
function vote(left: string, right: string, outcome: VoteOutcome, benchmark = 'aquarium'): Vote {
  counter++;
  return {
    benchmark,
    left: { run_id: `l-${counter}`, model: left },
    right: { run_id: `r-${counter}`, model: right },
    outcome,
    voted_at: '2026-12-06T05:00:00Z',
  };
}
function votes(n: number, left: string, right: string, outcome: VoteOutcome): Vote[] {
  return Array.from({ length: n }, () => vote(left, right, outcome));
}
function ratingsOf(fit: RatingFit): Record<string, number> {
  return Object.fromEntries(fit.groups.flatMap((g) => g.models.map((m) => [m.model, m.rating])));
}
function expectRatingsClose(a: RatingFit, b: RatingFit): void {
  const x = ratingsOf(a);
  const y = ratingsOf(b);
  expect(Object.keys(x).sort()).toEqual(Object.keys(y).sort());
  for (const model of Object.keys(x)) expect(x[model]).toBeCloseTo(y[model]!, 9);
}

describe('the Newton step', () => {
  test('solves a symmetric positive definite system and refuses one that is not', () => {
    // A·x = b with A = [[4, 2, 0.6], [2, 5, 1], [0.6, 1, 3]] and x = (1, −2, 0.5): b = A·x.
    const a = [4, 2, 0.6, 2, 5, 1, 0.6, 1, 3];
    const x = solveSymmetricPositiveDefinite(Float64Array.from(a), [0.3, -7.5, 0.1], 3);
    expect(Array.from(x).map((v) => Number(v.toFixed(12)))).toEqual([1, -2, 0.5]);
    expect(() =>
      solveSymmetricPositiveDefinite(Float64Array.from([1, 2, 2, 1]), [1, 1], 2),
    ).toThrow(/not positive definite/);
  });
});

describe('bootstrap intervals', () => {
  test('the resamples are the draws bootstrapIndices makes, streamed', () => {
    const rows: number[][] = [];
    forEachResample(7, 5, 42, (indices) => rows.push(Array.from(indices)));
    expect(rows.flat()).toEqual(Array.from(bootstrapIndices(7, 5, 42)));
  });

  test('every interval contains its point estimate and lies in the plausible range', () => {
    let checked = 0;
    for (const fixture of ratingFixtures.cases) {
      const ratings = fitRatings(fixture.votes, { seed: 3, bootstrap: 400 });
      for (const fit of [ratings.overall, ...ratings.benchmarks]) {
        for (const m of fit.groups.flatMap((g) => g.models)) {
          if (m.interval.reason !== null) continue;
          expect(m.interval.low, `${fixture.name} ${m.model}`).toBeLessThanOrEqual(m.rating);
          expect(m.interval.high, `${fixture.name} ${m.model}`).toBeGreaterThanOrEqual(m.rating);
          expect(m.interval.high).toBeGreaterThan(m.interval.low);
          expect(m.interval.level).toBe(0.95);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(80);
  });

  test('the same seed gives the same intervals; another seed gives other ones', () => {
    const { votes: many } = ratingCase('many-models');
    const a = fitRatings(many, { seed: 11, bootstrap: 200 });
    const b = fitRatings(many, { seed: 11, bootstrap: 200 });
    const c = fitRatings(many, { seed: 12, bootstrap: 200 });
    expect(a).toEqual(b);
    expect(ratingsOf(c.overall)).toEqual(ratingsOf(a.overall));
    const lows = (r: typeof a) => r.overall.groups[0]!.models.map((m) => m.interval.low);
    expect(lows(c)).not.toEqual(lows(a));
    expect(a.bootstrap).toEqual({ resamples: 200, seed: 11, level: 0.95 });
  });

  test('more votes, narrower intervals', () => {
    const base = [
      ...votes(3, 'p', 'q', 'left'),
      ...votes(2, 'q', 'p', 'left'),
      ...votes(2, 'p', 'r', 'tie'),
      ...votes(2, 'r', 'q', 'left'),
    ];
    const width = (vs: Vote[]) => {
      const m = fitRatingsOfVotes(vs, { bootstrap: 500 }).groups[0]!.models.find(
        (x) => x.model === 'p',
      )!;
      return m.interval.high! - m.interval.low!;
    };
    expect(width([...base, ...base, ...base, ...base])).toBeLessThan(width(base));
  });

  test('too few votes, or votes that all agree, give no interval and say why', () => {
    const single = fitRatings(ratingCase('single-vote').votes).overall.groups[0]!;
    for (const m of single.models) {
      expect(m.interval).toMatchObject({ low: null, high: null });
      expect(m.interval.reason).toMatch(/n too small: 1 vote in the group/);
    }
    const agree = fitRatings(ratingCase('all-agree').votes).overall.groups[0]!;
    for (const m of agree.models) {
      expect(m.interval).toMatchObject({ low: null, high: null });
      expect(m.interval.reason).toMatch(/every resample gave the same rating/);
    }
    const none = fitRatings(ratingCase('ties').votes, { bootstrap: 0 }).overall.groups[0]!;
    expect(none.models[0]!.interval.reason).toBe('no bootstrap requested');
  });
});

describe('groups', () => {
  const { votes: disconnected } = ratingCase('disconnected');

  test('models with no path of votes between them are separate groups, each ranked and anchored alone', () => {
    const fit = fitRatings(disconnected, { bootstrap: 300 }).overall;
    expect(fit.groups.map((g) => g.models.map((m) => m.model))).toEqual([
      ['a', 'b', 'c'],
      ['e', 'd'],
    ]);
    for (const group of fit.groups) {
      expect(group.models.map((m) => m.rank)).toEqual([1, 2, 3].slice(0, group.models.length));
      const mean = group.models.reduce((s, m) => s + m.rating, 0) / group.models.length;
      expect(mean).toBeCloseTo(1000, 9);
    }
    expect(fit.groups.map((g) => g.votes)).toEqual([
      { fitted: 13, bothBad: 0 },
      { fitted: 10, bothBad: 0 },
    ]);
    // A both-bad vote inside a group is counted with the group (none above crosses into one).
    expect(fitRatings(ratingCase('ties').votes, { bootstrap: 0 }).overall.groups[0]!.votes).toEqual(
      {
        fitted: 24,
        bothBad: 2,
      },
    );
  });

  test("a group's ratings and intervals do not depend on another group's votes", () => {
    const abc = disconnected.filter(
      (v) => ['a', 'b', 'c'].includes(v.left.model) && ['a', 'b', 'c'].includes(v.right.model),
    );
    const alone = fitRatingsOfVotes(abc, { bootstrap: 300 }).groups[0]!;
    const together = fitRatingsOfVotes(disconnected, { bootstrap: 300 }).groups[0]!;
    expect(together.models).toEqual(
      alone.models.map((m) => ({
        ...m,
        votes: expect.objectContaining({ fitted: m.votes.fitted }) as unknown,
      })),
    );
  });

  test('both-bad votes and votes between runs of one model are counted, never fitted, and join no groups', () => {
    const fit = fitRatings(disconnected, { bootstrap: 0 }).overall;
    expect(fit.unrated).toEqual([
      {
        model: 'f',
        votes: { fitted: 0, wins: 0, losses: 0, ties: 0, bothBad: 2, sameModel: 0 },
        reason: 'no vote between it and another model that says left, right or tie',
      },
      {
        model: 'g',
        votes: { fitted: 0, wins: 0, losses: 0, ties: 0, bothBad: 0, sameModel: 1 },
        reason: 'no vote between it and another model that says left, right or tie',
      },
    ]);
    const a = fit.groups[0]!.models.find((m) => m.model === 'a')!;
    expect(a.votes.bothBad).toBe(3); // two with f, one with d
    const fitted = disconnected.filter(
      (v) => v.outcome !== 'both_bad' && v.left.model !== v.right.model,
    );
    expectRatingsClose(fitRatings(fitted, { bootstrap: 0 }).overall, fit);
  });
});

describe('the model', () => {
  test('a model that won every vote gets a finite rating, rising with each further win', () => {
    const base = ratingCase('undefeated').votes;
    const champion = (vs: Vote[]) => fitRatingsOfVotes(vs, { bootstrap: 0 }).groups[0]!.models[0]!;
    const before = champion(base);
    const after = champion([...base, ...votes(20, 'champion', 'low', 'left')]);
    expect(before.model).toBe('champion');
    expect(before.votes).toMatchObject({ wins: 10, losses: 0, ties: 0 });
    expect(Number.isFinite(before.rating)).toBe(true);
    expect(after.rating).toBeGreaterThan(before.rating);
    expect(Number.isFinite(after.rating)).toBe(true);
    // Even 10,000 straight wins stay finite (the prior bounds them).
    const extreme = fitRatingsOfVotes(votes(10_000, 'x', 'y', 'left'), { bootstrap: 0 }).groups[0]!;
    expect(extreme.models.map((m) => Number.isFinite(m.rating))).toEqual([true, true]);
  });

  test('a tie is half a win each way', () => {
    const withTies = [
      ...votes(3, 'a', 'b', 'left'),
      ...votes(2, 'a', 'b', 'tie'),
      ...votes(1, 'b', 'c', 'left'),
    ];
    const halves = [
      ...votes(3, 'a', 'b', 'left'),
      vote('a', 'b', 'left'),
      vote('a', 'b', 'right'),
      ...votes(1, 'b', 'c', 'left'),
    ];
    expectRatingsClose(
      fitRatingsOfVotes(withTies, { bootstrap: 0 }),
      fitRatingsOfVotes(halves, { bootstrap: 0 }),
    );
  });

  test('which side a run was shown on does not matter', () => {
    const { votes: many } = ratingCase('many-models');
    const mirrored = many.map((v) => ({
      ...v,
      left: v.right,
      right: v.left,
      outcome:
        v.outcome === 'left'
          ? ('right' as const)
          : v.outcome === 'right'
            ? ('left' as const)
            : v.outcome,
    }));
    expectRatingsClose(
      fitRatings(mirrored, { bootstrap: 0 }).overall,
      fitRatings(many, { bootstrap: 0 }).overall,
    );
  });

  test('the overall fit pools prompts; each prompt is also fitted alone', () => {
    const vs = [
      ...votes(2, 'a', 'b', 'left'),
      vote('a', 'b', 'right', 'clock'),
      vote('b', 'a', 'left', 'clock'),
    ];
    const ratings = fitRatings(vs, { bootstrap: 0 });
    expect(ratings.benchmarks.map((b) => [b.benchmark, b.votes.total])).toEqual([
      ['aquarium', 2],
      ['clock', 2],
    ]);
    const [aquarium, clock] = ratings.benchmarks;
    expect(ratingsOf(aquarium!).a).toBeGreaterThan(1000);
    expect(ratingsOf(clock!).a).toBeLessThan(1000);
    // Two wins each way overall: level.
    expect(ratingsOf(ratings.overall).a).toBeCloseTo(1000, 9);
  });
});

describe('votes are parsed before they are fitted', () => {
  const good = { ...vote('a', 'b', 'left'), pair_id: 'pair-1' };

  test('a valid vote parses unchanged', () => {
    expect(parseVotes([good])).toEqual([good]);
  });

  test.each([
    [{ ...good, outcome: 'draw' }, /invalid vote 0 \(outcome\)/],
    [
      { ...good, right: { ...good.right, run_id: good.left.run_id } },
      /vote 0 \(right\.run_id\): a vote compares two different runs/,
    ],
    [{ ...good, voted_at: 'yesterday' }, /invalid vote 0 \(voted_at\)/],
    [{ ...good, left: { run_id: 'x' } }, /invalid vote 0 \(left\.model\)/],
    [{ ...good, benchmark: '' }, /benchmark must not be empty/],
    [{ ...good, api_key: 'sk-secret' }, /invalid vote 0: .*api_key/],
  ])('rejects %#', (bad, message) => {
    expect(() => parseVotes([bad])).toThrow(message);
  });

  test('the error names the bad vote', () => {
    expect(() => parseVotes([good, { ...good, outcome: 'meh' }])).toThrow(
      /invalid vote 1 \(outcome\)/,
    );
    expect(() => parseVotes({})).toThrow(/invalid votes/);
  });

  test('votes that disagree about a run are refused, by fitRatings too', () => {
    const first = vote('a', 'b', 'left');
    const relabelled = {
      ...vote('c', 'b', 'tie'),
      left: { run_id: first.left.run_id, model: 'c' },
    };
    const otherPrompt = { ...vote('a', 'b', 'tie', 'clock'), left: first.left };
    expect(() => parseVotes([first, relabelled])).toThrow(
      `invalid vote 1: run ${first.left.run_id} is c on aquarium here but a on aquarium in vote 0`,
    );
    expect(() => fitRatings([first, otherPrompt])).toThrow(/is a on clock here but a on aquarium/);
    // The same run shown again against another run is fine.
    expect(parseVotes([first, { ...vote('a', 'c', 'right'), left: first.left }])).toHaveLength(2);
  });

  test('bad options are refused with the reason', () => {
    expect(() => fitRatings([], { bootstrap: -1 })).toThrow(/bootstrap must be a whole number/);
    expect(() => fitRatings([], { level: 1 })).toThrow(/level must be in \(0, 1\)/);
    expect(() => fitRatings([], { seed: 0.5 })).toThrow(/seed must be an integer/);
  });

  test('no votes, no groups', () => {
    expect(fitRatings([]).overall).toEqual({
      groups: [],
      unrated: [],
      votes: { total: 0, fitted: 0, bothBad: 0, sameModel: 0 },
    });
  });
});
