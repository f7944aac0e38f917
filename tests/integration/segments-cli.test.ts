import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { failedChecks, localdsRun } from './run-helpers.js';

/**
 * #13's benchmarks through `localds run`, scored in full mode (trace evidence and the counterfactual
 * re-execution): the stdlib replays score every judged point in Pyodide on each scenario (charts_labeled
 * is not judged without matplotlib); the pandas reference solutions score 100 of 100 on Debian's python3
 * (--python native); a planted mistake loses its points and its diagnostic lands in the scorecard.
 */
const out = mkdtempSync(join(tmpdir(), 'segments-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const replay = (benchmark: string, file: string) =>
  `replay:packages/benchmarks/src/${benchmark}/fixtures/${file}`;

/**
 * One scenario per benchmark here (each CLI run costs 15–30 s with its re-execution); every scenario's
 * figures are checked in Pyodide directly by segments-stdlib-replay.test.ts. [benchmark, scenario,
 * points not judged]: charts_labeled without matplotlib, and in quiet no reported day to compare counts of.
 */
const STDLIB: [string, string, number][] = [
  ['launch-segments', 'large-paginated', 5],
  ['anomaly-days', 'quiet', 15],
];

describe('stdlib replays score every judged point in Pyodide', () => {
  it.each(STDLIB)(
    '%s on %s',
    async (benchmark, scenario, notJudged) => {
      const { runJson } = await localdsRun([
        '--benchmark',
        benchmark,
        '--scenario',
        scenario,
        '--out',
        out,
        '--model',
        replay(benchmark, 'stdlib-replay.json'),
      ]);
      const card = runJson.scorecard!;
      expect(failedChecks(runJson)).toEqual({});
      expect(card.mode).toBe('full');
      expect(card.earned).toBe(card.judged);
      expect(card.judged).toBe(card.total - notJudged);
      expect(card.diagnostics).toEqual([]);
      expect(card.notes.some((n) => n.startsWith('counterfactual: re-executed'))).toBe(true);
    },
    180_000,
  );
});

describe('reference solutions score 100 of 100 on Debian python3', () => {
  it.each(['launch-segments', 'anomaly-days'])(
    '%s on canonical',
    async (benchmark) => {
      const { runJson } = await localdsRun([
        '--benchmark',
        benchmark,
        '--python',
        'native',
        '--out',
        out,
        '--model',
        replay(benchmark, 'reference-replay.json'),
      ]);
      expect(failedChecks(runJson)).toEqual({});
      expect([runJson.scorecard!.earned, runJson.scorecard!.judged]).toEqual([100, 100]);
    },
    300_000,
  );
});

describe('planted mistakes in the scorecard', () => {
  it('launch-segments pooled_only: the decision lost, the diagnostic recorded', async () => {
    const { runJson } = await localdsRun([
      '--benchmark',
      'launch-segments',
      '--out',
      out,
      '--model',
      replay('launch-segments', 'planted/pooled_only.json'),
    ]);
    expect(Object.keys(failedChecks(runJson))).toEqual(['decision']);
    expect(runJson.scorecard!.diagnostics.map((d) => [d.id, d.field])).toEqual([
      ['pooled_only', 'recommendation'],
    ]);
  }, 180_000);
  it('anomaly-days global_zscore on weekend-trap: max × F1 points for the flagged days', async () => {
    const { runJson } = await localdsRun([
      '--benchmark',
      'anomaly-days',
      '--scenario',
      'weekend-trap',
      '--out',
      out,
      '--model',
      replay('anomaly-days', 'planted/global_zscore.json'),
    ]);
    const card = runJson.scorecard!;
    expect(card.checks.flagged_days!.earned).toBe(0);
    expect(card.diagnostics.map((d) => d.id)).toEqual(['global_zscore']);
  }, 180_000);
});
