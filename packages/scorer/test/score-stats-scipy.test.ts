/**
 * Statistics of scores against numpy/SciPy/statsmodels (fixtures/score-stats/score-stats.json, from
 * scripts/generate_score_stats_fixtures.py with Debian's python3: SciPy 1.10.1), to 1e-9. The
 * bootstrap fixtures hold the draws this code made; the test first checks the code still makes them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import {
  bootstrapIndices,
  bootstrapMeanInterval,
  exactMcNemar,
  passHatK,
  wilcoxonSignedRank,
} from '../src/score-stats/index.js';
import { closeEnough } from './close-enough.js';

const num = z.number();
const FixtureSchema = z.object({
  generator: z.object({ script: z.string(), scipy: z.string(), statsmodels: z.string() }),
  bootstrap: z.array(
    z.object({
      name: z.string(),
      values: z.array(num),
      resamples: z.number().int(),
      seed: z.number().int(),
      indices: z.array(z.number().int()),
      expected: z.object({ mean: num, low: num, high: num }),
    }),
  ),
  pass_k: z.array(
    z.object({ perfect: z.number().int(), n: z.number().int(), expected: z.array(num) }),
  ),
  wilcoxon: z.array(
    z.object({
      name: z.string(),
      x: z.array(num),
      y: z.array(num),
      expected: z.object({
        statistic: num.nullable(),
        p: num.nullable(),
        method: z.enum(['exact', 'approx']).nullable(),
        z: num.nullable(),
      }),
    }),
  ),
  mcnemar: z.array(
    z.object({
      name: z.string(),
      a: z.array(z.boolean()),
      b: z.array(z.boolean()),
      expected: z.object({
        onlyA: z.number().int(),
        onlyB: z.number().int(),
        both: z.number().int(),
        neither: z.number().int(),
        p: num,
      }),
    }),
  ),
});

const fixture = FixtureSchema.parse(
  JSON.parse(
    readFileSync(new URL('../fixtures/score-stats/score-stats.json', import.meta.url), 'utf8'),
  ),
);

const near = (actual: number | null, expected: number | null) => {
  if (expected === null) return actual === null;
  return actual !== null && closeEnough(actual, expected);
};

test('the fixtures come from SciPy 1.10.1', () => {
  expect(fixture.generator.scipy).toBe('1.10.1');
});

describe('bootstrap percentile interval of the mean (numpy linear percentiles of our draws)', () => {
  test.each(fixture.bootstrap)('$name', ({ values, resamples, seed, indices, expected }) => {
    expect(Array.from(bootstrapIndices(values.length, resamples, seed))).toEqual(indices);
    const interval = bootstrapMeanInterval(values, { resamples, seed });
    expect(interval.reason).toBeNull();
    expect(near(interval.low, expected.low)).toBe(true);
    expect(near(interval.high, expected.high)).toBe(true);
  });
  test('below 3 values there is no interval, and it says why', () => {
    const interval = bootstrapMeanInterval([40, 100]);
    expect(interval).toMatchObject({ low: null, high: null });
    expect(interval.reason).toMatch(/n too small: 2 values/);
  });
});

describe('pass^k = C(c, k) / C(n, k)', () => {
  test.each(fixture.pass_k)('$perfect of $n at 100', ({ perfect, n, expected }) => {
    const got = passHatK(perfect, n);
    expect(got.map((g) => g.k)).toEqual(expected.map((_, i) => i + 1));
    got.forEach((g, i) => expect(near(g.value, expected[i]!)).toBe(true));
  });
});

describe('Wilcoxon signed-rank as scipy.stats.wilcoxon(x, y) in SciPy 1.10.1', () => {
  test.each(fixture.wilcoxon)('$name', ({ x, y, expected }) => {
    const got = wilcoxonSignedRank(x, y);
    expect(got.method).toBe(expected.method);
    expect(near(got.statistic, expected.statistic)).toBe(true);
    expect(near(got.p, expected.p)).toBe(true);
    expect(near(got.z, expected.z)).toBe(true);
    if (expected.p === null) expect(got.reason).toEqual(expect.any(String));
  });
});

describe('exact McNemar as statsmodels mcnemar(exact=True)', () => {
  test.each(fixture.mcnemar)('$name', ({ a, b, expected }) => {
    const got = exactMcNemar(a.map((pass, i) => [pass, b[i]!] as const));
    expect({ ...got, p: 0 }).toEqual({ ...expected, p: 0 });
    expect(near(got.p, expected.p)).toBe(true);
  });
});
