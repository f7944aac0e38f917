/**
 * Statistics of scores over sets of trials: grouping, exclusions, pairing and what is left unpaired.
 * The numeric procedures themselves are checked against SciPy in score-stats-scipy.test.ts; here the
 * expected values follow from the trials by arithmetic or by calling those procedures on exactly the
 * trials that should count.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Comparability } from '../src/comparability.js';
import { comparabilityKey, comparabilityOfRun } from '../src/comparability.js';
import { RunJsonSchema, type EndReason } from '../src/run-folder/run-json.js';
import {
  bootstrapMeanInterval,
  comparePaired,
  exactMcNemar,
  scoreStats,
  scoreTrialOfRunJson,
  wilcoxonSignedRank,
  type ScoreTrial,
} from '../src/score-stats/index.js';

const canonical: Comparability = {
  benchmark: { id: 'ab-test-analysis', version: '1.0.0' },
  scorerVersion: '0.2.0',
  mode: 'full',
  protocol: 'fenced',
  packages: 'full',
  judgedTotal: 100,
  scenario: 'canonical',
};
const srm: Comparability = { ...canonical, scenario: 'srm' };

let counter = 0;
function trial(
  model: string,
  pct: number | null,
  more: Partial<Omit<ScoreTrial, 'model'>> & { scripted?: boolean } = {},
): ScoreTrial {
  const { scripted = false, ...rest } = more;
  counter++;
  return {
    runId: `run-${counter}`,
    model: { name: model, scripted },
    comparability: canonical,
    endReason: 'done' as EndReason,
    seed: 1,
    trialIndex: null,
    pct,
    checks: pct === null ? {} : { p_value: pct >= 70, charts_exist: pct === 100 },
    ...rest,
  };
}

describe('scoreStats', () => {
  test('groups by the comparability key, then by model, best mean first', () => {
    const trials = [
      trial('m1', 40),
      trial('m2', 100),
      trial('m1', 70),
      trial('m2', 85),
      trial('m1', 100),
      trial('m1', 55, { comparability: srm }),
    ];
    const stats = scoreStats(trials);
    expect(stats.groups.map((g) => g.key)).toEqual([
      comparabilityKey(canonical),
      comparabilityKey(srm),
    ]);
    const [group] = stats.groups;
    expect(group!.models.map((m) => [m.model, m.n, m.mean])).toEqual([
      ['m2', 2, 92.5],
      ['m1', 3, 70],
    ]);
    const m1 = group!.models[1]!;
    expect(m1.scores).toEqual([40, 70, 100]);
    expect(m1.sd).toBe(30);
    expect(m1.perfect).toBe(1);
    expect(m1.passK).toEqual([
      { k: 1, value: 1 / 3 },
      { k: 2, value: 0 },
      { k: 3, value: 0 },
    ]);
    expect(m1.checks).toEqual([
      { id: 'p_value', passed: 2, n: 3, rate: 2 / 3 },
      { id: 'charts_exist', passed: 1, n: 3, rate: 1 / 3 },
    ]);
    expect(m1.interval).toEqual(bootstrapMeanInterval([40, 70, 100]));
    expect(group!.models[0]!.interval.reason).toMatch(/n too small/);
  });

  test('a model’s interval depends on its scores, not on the order its runs were read in', () => {
    const scores = [3, 97, 41, 88, 12, 60, 75];
    const forward = scoreStats(scores.map((pct) => trial('m1', pct)));
    const backward = scoreStats([...scores].reverse().map((pct) => trial('m1', pct)));
    const interval = forward.groups[0]!.models[0]!.interval;
    expect(interval.reason).toBeNull();
    expect(backward.groups[0]!.models[0]!.interval).toEqual(interval);
    // Resampled from the ascending scores; the same draws over the unsorted scores differ here.
    expect(interval).toEqual(bootstrapMeanInterval([3, 12, 41, 60, 75, 88, 97]));
    expect(bootstrapMeanInterval(scores)).not.toEqual(interval);
  });

  test('environment failures, stops and unscored runs are left out and counted apart', () => {
    const counted = [trial('m1', 70), trial('m1', 85), trial('m1', 100)];
    const environment = (['environment_error', 'sandbox_error', 'harness_error'] as const).map(
      (endReason) => trial('m1', 0, { endReason }),
    );
    const stopped = trial('m1', 10, { endReason: 'aborted' });
    const unscored = trial('m1', null, { comparability: null, endReason: 'model_error' });
    // model_error is the model's own failure: it counts.
    const modelError = trial('m1', 0, { endReason: 'model_error' });
    const stats = scoreStats([...counted, ...environment, stopped, unscored, modelError]);
    const [group] = stats.groups;
    expect(group!.models[0]!.scores).toEqual([70, 85, 100, 0]);
    expect(group!.excluded).toEqual({ environment: 3, interrupted: 1, unscored: 0 });
    expect(stats.excluded.map((e) => [e.runId, e.reason, e.groupKey])).toEqual([
      ...environment.map((t) => [t.runId, 'environment', group!.key]),
      [stopped.runId, 'interrupted', group!.key],
      [unscored.runId, 'unscored', null],
    ]);
  });

  test('a scripted replay is never mixed with the live model of the same name', () => {
    const stats = scoreStats([trial('m1', 100, { scripted: true }), trial('m1', 40)]);
    expect(stats.groups[0]!.models.map((m) => [m.model, m.scripted, m.mean])).toEqual([
      ['m1 (scripted)', true, 100],
      ['m1', false, 40],
    ]);
  });
});

describe('paired comparison', () => {
  const a = [
    trial('a', 100, { seed: 1, trialIndex: 1 }),
    trial('a', 85, { seed: 1, trialIndex: 2 }),
    trial('a', 70, { seed: 2, trialIndex: 1 }),
    trial('a', 92, { seed: 2, trialIndex: 2 }),
    trial('a', 55, { seed: 3, trialIndex: 1 }), // b has no seed 3
    trial('a', 40, { seed: 1, trialIndex: null }), // written before trial_index
  ];
  const b = [
    trial('b', 70, { seed: 2, trialIndex: 2 }),
    trial('b', 55, { seed: 1, trialIndex: 1 }),
    trial('b', 85, { seed: 2, trialIndex: 1 }),
    trial('b', 40, { seed: 1, trialIndex: 2 }),
    trial('b', 100, { seed: 4, trialIndex: 1 }), // a has no seed 4
    trial('b', 63, { seed: 5, trialIndex: 1 }),
    trial('b', 10, { seed: 5, trialIndex: 1 }), // two trials with one key: neither pairs
    trial('b', 0, { seed: null, trialIndex: 1, comparability: { ...canonical } }),
  ];
  const comparison = comparePaired({ model: 'a', trials: a }, { model: 'b', trials: b });

  test('pairs on (benchmark, scenario, seed, trial index), ordered by seed then index', () => {
    expect(comparison.pairs.map((p) => [p.seed, p.trialIndex, p.a.pct, p.b.pct, p.diff])).toEqual([
      [1, 1, 100, 55, 45],
      [1, 2, 85, 40, 45],
      [2, 1, 70, 85, -15],
      [2, 2, 92, 70, 22],
    ]);
  });

  test('every unpaired trial is listed with its reason and kept out of the numbers', () => {
    const reasons = comparison.unpaired.map((u) => [u.model, u.reason]).sort();
    expect(reasons).toEqual(
      [
        ['a', 'no partner'],
        ['a', 'no trial index'],
        ['b', 'no partner'],
        ['b', 'repeated pair key'],
        ['b', 'repeated pair key'],
        ['b', 'no dataset seed'],
      ].sort(),
    );
    expect(comparison.pairs.length + comparison.unpaired.length).toBe(a.length + b.length - 4);
    const diffs = [45, 45, -15, 22];
    expect(comparison.meanDiff).toBe(24.25);
    expect(comparison.interval).toEqual(bootstrapMeanInterval(diffs));
    expect(comparison.wilcoxon).toEqual(wilcoxonSignedRank([100, 85, 70, 92], [55, 40, 85, 70]));
  });

  test('McNemar per check over the pairs', () => {
    const pValue = comparison.checks.find((c) => c.id === 'p_value')!;
    // p_value passes at ≥ 70: a passes in all four pairs, b in pairs 3 and 4.
    expect(pValue).toEqual({
      id: 'p_value',
      n: 4,
      ...exactMcNemar([
        [true, false],
        [true, false],
        [true, true],
        [true, true],
      ]),
    });
    expect(pValue.onlyA).toBe(2);
  });

  test('scoreStats compares every two models of a group that share a pair', () => {
    const stats = scoreStats([...a, ...b, trial('c', 100, { seed: 9, trialIndex: 1 })]);
    const group = stats.groups[0]!;
    expect(group.comparisons.map((c) => [c.a, c.b])).toEqual([['a', 'b']]);
    expect(group.comparisons[0]!.meanDiff).toBe(24.25);
  });
});

describe('from run.json', () => {
  const base = RunJsonSchema.parse(
    JSON.parse(
      readFileSync(new URL('../fixtures/runs/full-correct/run.json', import.meta.url), 'utf8'),
    ),
  );
  // As a scorecard read through its schema is: judged points, and each check judged.
  const scorecard = {
    earned: 85,
    judged: 100,
    total: 100,
    pct: 85,
    mode: 'full' as const,
    scorer_version: '0.2.0',
    checks: {
      p_value: { label: 'p', max: 10, earned: 10, pass: true, judged: true, detail: '' },
      cohens_d: { label: 'd', max: 10, earned: 0, pass: false, judged: true, detail: '' },
      charts_labeled: {
        label: 'labels',
        max: 5,
        earned: 0,
        pass: false,
        judged: false,
        detail: 'not judged: no matplotlib',
      },
    },
    precision: null,
    diagnostics: [],
    notes: [],
  } as unknown as NonNullable<typeof base.scorecard>;

  test('a scored run becomes a trial with its comparability, seed and trial index', () => {
    const run = { ...base, scorecard, trial_index: 2 };
    const t = scoreTrialOfRunJson(run);
    const source = base.data.snapshot!.source;
    expect(t).toMatchObject({
      runId: base.run_id,
      model: { name: base.model.name, scripted: base.scripted },
      endReason: base.end_reason,
      seed: source.kind === 'scenario' ? source.seed : null,
      trialIndex: 2,
      pct: 85,
      checks: { p_value: true, cohens_d: false },
    });
    // A check that was not judged has no pass rate to add to.
    expect(t.checks).toEqual({ p_value: true, cohens_d: false });
    // Runs written before protocol and environment existed are fenced, with full packages.
    expect(t.comparability).toEqual(comparabilityOfRun(run));
    expect(t.comparability).toMatchObject({
      protocol: 'fenced',
      packages: 'full',
      judgedTotal: 100,
    });
  });

  test('an unscored run has no comparability and no trial index when it predates them', () => {
    const t = scoreTrialOfRunJson(base);
    expect(t.comparability).toBeNull();
    expect(t.trialIndex).toBeNull();
    expect(scoreStats([t]).excluded[0]!.reason).toBe('unscored');
  });

  test('trial_index is 1-based in run.json', () => {
    expect(RunJsonSchema.safeParse({ ...base, trial_index: 0 }).success).toBe(false);
    expect(RunJsonSchema.safeParse({ ...base, trial_index: 1 }).success).toBe(true);
  });
});
