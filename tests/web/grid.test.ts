import { describe, expect, it } from 'vitest';
import {
  GridQueue,
  gridCells,
  gridProgress,
  statusOfEndReason,
  type CellOutcome,
  type GridCell,
} from '../../apps/web/src/runs/grid.js';

const key = (c: GridCell) => `${c.model} ${c.scenario} ${c.trialIndex}`;

// The run panel's grid: models × scenarios × trials run one at a time; "re-run errored trials" runs
// only what an environment failure (or a stop) left without a result, as the same trial index.
describe('the page grid queue', () => {
  it('lays out models × scenarios × trials, a model’s trials together', () => {
    const cells = gridCells(['m1', 'm2'], ['canonical', 'srm'], 2);
    expect(cells.map(key)).toEqual([
      'm1 canonical 1',
      'm1 canonical 2',
      'm1 srm 1',
      'm1 srm 2',
      'm2 canonical 1',
      'm2 canonical 2',
      'm2 srm 1',
      'm2 srm 2',
    ]);
    expect(gridProgress(cells)).toMatchObject({ total: 8, ended: 0, queued: 8 });
  });

  it('tells an environment failure and a stop from a finished trial, whatever its score', () => {
    expect(statusOfEndReason('sandbox_error')).toBe('environment');
    expect(statusOfEndReason('harness_error')).toBe('environment');
    expect(statusOfEndReason('aborted')).toBe('stopped');
    expect(statusOfEndReason('model_error')).toBe('finished');
    expect(statusOfEndReason('budget_turns')).toBe('finished');
  });

  it('re-runs only errored trials, as the same trial index, and never a finished one', async () => {
    const attempts: string[] = [];
    let failing = true;
    let n = 0;
    const queue = new GridQueue(gridCells(['m1', 'm2'], ['canonical'], 2), async (cell) => {
      attempts.push(key(cell));
      const recordId = `r${++n}`;
      // m2's trials fail on the environment the first time; a thrown error is the harness's too.
      if (failing && cell.model === 'm2' && cell.trialIndex === 1)
        return { recordId, status: 'environment', detail: 'sandbox crashed' } as CellOutcome;
      if (failing && cell.model === 'm2') throw new Error('packages would not load');
      return { recordId, status: 'finished', detail: null };
    });
    await queue.run();
    expect(queue.cells.map((c) => c.status)).toEqual([
      'finished',
      'finished',
      'environment',
      'environment',
    ]);
    expect(queue.cells[3]!.detail).toBe('packages would not load');
    expect(queue.cells[3]!.recordIds).toEqual([]);
    expect(gridProgress(queue.cells)).toMatchObject({ ended: 4, finished: 2, environment: 2 });

    failing = false;
    attempts.length = 0;
    await queue.rerunErrored();
    expect(attempts).toEqual(['m2 canonical 1', 'm2 canonical 2']);
    expect(queue.cells.map((c) => c.status)).toEqual([
      'finished',
      'finished',
      'finished',
      'finished',
    ]);
    // The errored attempt's record stays beside the new one; finished cells keep their only record.
    expect(queue.cells.map((c) => c.recordIds)).toEqual([['r1'], ['r2'], ['r3', 'r5'], ['r6']]);

    attempts.length = 0;
    await queue.rerunErrored();
    expect(attempts).toEqual([]);
  });

  it('stops after the running trial and leaves the rest waiting for a re-run', async () => {
    let stopOnce = true;
    const queue: GridQueue = new GridQueue(
      gridCells(['m1'], ['canonical'], 3),
      async (cell, signal) => {
        if (stopOnce) {
          stopOnce = false;
          queue.stop();
        }
        return {
          recordId: `t${cell.trialIndex}`,
          status: signal.aborted ? 'stopped' : 'finished',
          detail: null,
        };
      },
    );
    await queue.run();
    expect(queue.cells.map((c) => c.status)).toEqual(['stopped', 'queued', 'queued']);
    expect(queue.running).toBe(false);
    await queue.rerunErrored();
    expect(queue.cells.map((c) => c.status)).toEqual(['finished', 'finished', 'finished']);
  });
});
