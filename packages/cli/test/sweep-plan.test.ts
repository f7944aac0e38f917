import { EndReasonSchema, type EndReason } from '@localds/scorer';
import { describe, expect, it } from 'vitest';
import {
  cellKey,
  parseShard,
  planResume,
  runCellKey,
  shardCells,
  sweepGrid,
  type RecordedRun,
  type SweepCell,
  type SweepModel,
} from '../src/run/sweep-plan.js';
import { estimateLeftMs, formatDuration, formatProgress } from '../src/run/sweep-progress.js';

const model = (name: string, packages: SweepModel['packages'] = 'stdlib-only'): SweepModel => ({
  spec: `replay:${name}.json`,
  name: `replay-${name}`,
  endpoint: `replay:${name}.json`,
  packages,
});

const DEFAULT_SEEDS: Record<string, number> = { canonical: 119005, srm: 1 };

function grid(trials = 2, seeds: number[] | null = null): SweepCell[] {
  return sweepGrid({
    models: [model('alpha'), model('beta')],
    benchmarks: ['ab-test-analysis'],
    scenarios: () => ['canonical', 'srm'],
    seeds,
    defaultSeed: (_benchmark, s) => DEFAULT_SEEDS[s]!,
    trials,
  });
}

/** What a run folder of `cell` records, ended with `endReason`. */
function recorded(cell: SweepCell, endReason: EndReason): RecordedRun {
  return {
    model: { name: cell.model.name, provider: 'replay' },
    benchmark: { id: cell.benchmark, version: '1.0.0' },
    data: {
      table_url: 'http://127.0.0.1/rest/v1/events',
      snapshot: {
        encoding: 'gzip+base64',
        data: '',
        sha256: '0'.repeat(64),
        row_count: 0,
        source: { kind: 'scenario', scenario: cell.scenario, seed: cell.seed },
      },
    },
    trial_index: cell.trial,
    environment: { packages: cell.model.packages, loaded: [] },
    end_reason: endReason,
  };
}

const describeCell = (c: SweepCell) =>
  `${c.index} ${c.model.name} ${c.scenario} ${c.seed} ${c.trial}`;

describe('sweep grid', () => {
  it('is models × benchmarks × scenarios × seeds × trials, in a fixed order with 1-based trial indices', () => {
    expect(grid().map(describeCell)).toEqual([
      '0 replay-alpha canonical 119005 1',
      '1 replay-alpha canonical 119005 2',
      '2 replay-alpha srm 1 1',
      '3 replay-alpha srm 1 2',
      '4 replay-beta canonical 119005 1',
      '5 replay-beta canonical 119005 2',
      '6 replay-beta srm 1 1',
      '7 replay-beta srm 1 2',
    ]);
    // Explicit seeds replace each scenario's own.
    expect(grid(1, [7, 8]).map(describeCell).slice(0, 4)).toEqual([
      '0 replay-alpha canonical 7 1',
      '1 replay-alpha canonical 8 1',
      '2 replay-alpha srm 7 1',
      '3 replay-alpha srm 8 1',
    ]);
  });

  it('gives every cell its own key, so no two cells can be mistaken for each other', () => {
    const keys = grid(3, [1, 2]).map(cellKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('refuses two models whose runs would record the same name', () => {
    expect(() =>
      sweepGrid({
        models: [model('alpha'), { ...model('alpha'), spec: 'replay:other/alpha.json' }],
        benchmarks: ['ab-test-analysis'],
        scenarios: () => ['canonical'],
        seeds: null,
        defaultSeed: () => 1,
        trials: 1,
      }),
    ).toThrow(/both record the model name "replay-alpha"/);
  });
});

describe('sweep shards', () => {
  it('parses I/N and refuses anything else', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/2', '3/2', '1/0', '1', '1/2/3', 'a/b', '-1/2', '1.5/2', ''])
      expect(() => parseShard(bad), bad).toThrow(/must be I\/N with 1 ≤ I ≤ N/);
  });

  it('splits the grid into disjoint shards that together are the whole grid, interleaved', () => {
    const cells = grid(3, [1, 2]); // 2 models × 2 scenarios × 2 seeds × 3 trials = 24 cells
    for (const count of [1, 2, 3, 5, 24, 30]) {
      const shards = Array.from({ length: count }, (_, i) =>
        shardCells(cells, { index: i + 1, count }),
      );
      const indices = shards.flatMap((shard) => shard.map((c) => c.index)).sort((a, b) => a - b);
      expect(indices, `${count} shards`).toEqual(cells.map((c) => c.index));
      // Balanced: no shard has more than one cell more than another.
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    // Interleaved: each of two shards gets both models.
    const first = shardCells(cells, { index: 1, count: 2 });
    expect(new Set(first.map((c) => c.model.name))).toEqual(
      new Set(['replay-alpha', 'replay-beta']),
    );
    // Deterministic: the same cells every time.
    expect(shardCells(grid(3, [1, 2]), { index: 2, count: 3 }).map(describeCell)).toEqual(
      shardCells(cells, { index: 2, count: 3 }).map(describeCell),
    );
  });
});

describe('sweep resume plan', () => {
  it('runs every cell when nothing is recorded', () => {
    const plan = planResume(grid(), []);
    expect(plan.todo.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(plan.finished).toEqual([]);
    expect(plan.retried).toEqual([]);
  });

  it('never reruns a cell the model finished, whatever it scored or however it ended', () => {
    const cells = grid();
    const modelEnds: EndReason[] = [
      'done',
      'no_code_outputs_present',
      'model_exhausted',
      'budget_turns',
      'budget_tokens',
      'budget_wall_time',
      'model_error',
    ];
    for (const reason of modelEnds) {
      const plan = planResume(cells, [recorded(cells[3]!, reason)]);
      expect(
        plan.finished.map((c) => c.index),
        reason,
      ).toEqual([3]);
      expect(
        plan.todo.map((c) => c.index),
        reason,
      ).not.toContain(3);
    }
  });

  it('reruns exactly the cells that ended in an environment or harness failure or were stopped', () => {
    const cells = grid();
    const notTheModel: EndReason[] = [
      'environment_error',
      'sandbox_error',
      'harness_error',
      'interrupted',
      'aborted',
    ];
    // Every end reason is one or the other: a new one must be classified here.
    expect(EndReasonSchema.options.length).toBe(7 + notTheModel.length);
    for (const reason of notTheModel) {
      const plan = planResume(cells, [recorded(cells[5]!, reason)]);
      expect(
        plan.todo.map((c) => c.index),
        reason,
      ).toContain(5);
      expect(
        plan.retried.map((c) => c.index),
        reason,
      ).toEqual([5]);
      expect(plan.finished, reason).toEqual([]);
    }
  });

  it('counts a cell finished when one of its folders finished, even beside an aborted one', () => {
    const cells = grid();
    const plan = planResume(cells, [
      recorded(cells[0]!, 'aborted'),
      recorded(cells[0]!, 'done'),
      recorded(cells[1]!, 'environment_error'),
      recorded(cells[6]!, 'done'),
    ]);
    expect(plan.finished.map((c) => c.index)).toEqual([0, 6]);
    expect(plan.todo.map((c) => c.index)).toEqual([1, 2, 3, 4, 5, 7]);
    expect(plan.retried.map((c) => c.index)).toEqual([1]);
  });

  it('matches a run to its cell only when model, scenario, seed, trial, packages and protocol agree', () => {
    const cells = grid();
    const cell = cells[2]!; // alpha, srm, seed 1, trial 1, stdlib-only
    const base = recorded(cell, 'done');
    expect(runCellKey(base)).toBe(cellKey(cell));
    const others: RecordedRun[] = [
      { ...base, model: { name: 'replay-gamma', provider: 'replay' } },
      { ...base, trial_index: 3 },
      { ...base, trial_index: undefined },
      { ...base, environment: { packages: 'full', loaded: ['pandas'] } },
      { ...base, environment: undefined }, // an older run: full packages
      { ...base, protocol: 'tools' },
      {
        ...base,
        data: {
          ...base.data,
          snapshot: {
            ...base.data.snapshot!,
            source: { kind: 'scenario', scenario: 'srm', seed: 2 },
          },
        },
      },
      {
        ...base,
        data: {
          ...base.data,
          snapshot: { ...base.data.snapshot!, source: { kind: 'supabase', url: 'http://x' } },
        },
      },
    ];
    for (const other of others) {
      const plan = planResume(cells, [other]);
      expect(plan.finished, JSON.stringify(other)).toEqual([]);
    }
    expect(planResume(cells, [{ ...base, protocol: 'fenced' }]).finished).toEqual([cell]);
  });
});

describe('sweep progress line', () => {
  it('counts done/total and estimates the time left from the pace so far', () => {
    expect(
      formatProgress({ done: 2, total: 8, running: 1, finishedNow: 0, elapsedMs: 5_000 }),
    ).toBe('sweep: 2/8 trials done, 1 running, time left unknown until a trial finishes');
    // 2 trials in 60 s: 30 s each at this pace, 4 left.
    const p = { done: 4, total: 8, running: 2, finishedNow: 2, elapsedMs: 60_000 };
    expect(estimateLeftMs(p)).toBe(120_000);
    expect(formatProgress(p)).toBe('sweep: 4/8 trials done, 2 running, about 2 min left');
    expect(formatProgress({ ...p, done: 8 })).toBe('sweep: 8/8 trials done, 2 running, all done');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(2 * 3600_000 + 5 * 60_000)).toBe('2 h 05 min');
  });
});
