// The run folder written as the run goes (onCheckpoint): before the first model call and after each
// turn and cell, a readable partial run ended `interrupted`; the final folder comes after the last one.
import { getBenchmark } from '@localds/benchmarks';
import { RunJsonSchema, type RunJson } from '@localds/scorer';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanStaleTempDirs } from '../src/node-entry/index.js';
import { runBenchmark } from '../src/run/index.js';
import { INTERRUPTED_DETAIL } from '../src/run/progress.js';
import { budgets, FakeModel, FakeSandbox, fence } from './helpers/fakes.js';

const benchmark = getBenchmark('ab-test-analysis');
const decoder = new TextDecoder();

describe('runBenchmark checkpoints', () => {
  it('writes the run so far after every turn and cell, ended interrupted, one at a time', async () => {
    const checkpoints: { runJson: RunJson; notebook: { cells: { source: string[] }[] } }[] = [];
    let writing = false;
    const sandbox = new FakeSandbox((code) =>
      code.includes('secret') ? { writes: { 'x.txt': 'x' } } : {},
    );
    const run = await runBenchmark({
      benchmark,
      model: new FakeModel([
        {
          text: `First.\n\n${fence('print("one")')}\n\n${fence('print("two")')}`,
          usage: { promptTokens: 10, completionTokens: 5 },
        },
        { text: 'DONE' },
      ]),
      data: { kind: 'embedded', scenario: 'canonical' },
      sandboxFactory: async () => ({ sandbox, pythonVersion: '3.12' }),
      isolation: 'node-pyodide',
      budgets,
      score: false,
      onCheckpoint: async ({ folderPath, files }) => {
        expect(writing, 'checkpoints overlap').toBe(false);
        writing = true;
        await new Promise((r) => setTimeout(r, 5));
        expect(folderPath).toMatch(/^runs\/ab-test-analysis\/fake-scripted\//);
        expect([...files.keys()].sort()).toEqual(['analysis.ipynb', 'run.json']);
        checkpoints.push({
          runJson: RunJsonSchema.parse(JSON.parse(decoder.decode(files.get('run.json')))),
          notebook: JSON.parse(decoder.decode(files.get('analysis.ipynb'))) as {
            cells: { source: string[] }[];
          },
        });
        writing = false;
      },
    });
    // Before the first call; turn 1 answered; its cell 0; its cell 1; turn 2 answered.
    expect(checkpoints.map((c) => c.runJson.trace!.cells.length)).toEqual([0, 0, 1, 2, 2]);
    expect(checkpoints.map((c) => c.runJson.transcript.length)).toEqual([2, 3, 3, 3, 4]);
    for (const { runJson } of checkpoints) {
      expect(runJson.end_reason).toBe('interrupted');
      expect(runJson.end_detail).toBe(INTERRUPTED_DETAIL);
      expect(runJson.timings.finished_at).toBeNull();
      expect(runJson.data.snapshot?.row_count).toBeGreaterThan(0);
      expect(runJson.versions.python).toBe('3.12');
    }
    const last = checkpoints.at(-1)!;
    expect(last.runJson.tokens).toEqual({ prompt: 10, completion: 0 + 5 });
    expect(
      last.runJson.transcript.filter((m) => m.role === 'assistant').map((m) => m.content),
    ).toEqual([`First.\n\n${fence('print("one")')}\n\n${fence('print("two")')}`, 'DONE']);
    const code = last.notebook.cells
      .map((c) => c.source.join(''))
      .filter((s) => s.startsWith('print'));
    expect(code).toEqual(['print("one")', 'print("two")']);
    // The final run is the finished one.
    expect(run.runJson.end_reason).toBe('done');
    expect(run.runJson.timings.finished_at).not.toBeNull();
  });

  it('a failing checkpoint is reported once and does not stop the run', async () => {
    const run = await runBenchmark({
      benchmark,
      model: new FakeModel([{ text: fence('print("a")') }, { text: 'DONE' }]),
      data: { kind: 'embedded', scenario: 'canonical' },
      sandboxFactory: async () => ({ sandbox: new FakeSandbox(), pythonVersion: null }),
      isolation: 'node-pyodide',
      budgets,
      score: false,
      onCheckpoint: () => Promise.reject(new Error('EROFS: read-only file system')),
    });
    expect(run.runJson.end_reason).toBe('done');
    expect(run.warnings).toEqual([
      'the partial run could not be saved: EROFS: read-only file system',
    ]);
  });
});

describe('cleanStaleTempDirs', () => {
  it('removes only the directories whose owner process is gone', () => {
    const root = mkdtempSync(join(tmpdir(), 'localds-stale-'));
    try {
      const gone = spawnSync('true').pid!; // exited and reaped: its pid names no process
      const names = [
        `localds-run-p${gone}-AbC123`,
        `localds-native-tmp-p${gone}-xyZ789`,
        `localds-run-p${process.pid}-Mine00`,
        `localds-run-p1-Init00`, // pid 1 is alive
        'localds-run-Xy12ab', // no owner recorded: left alone
        `other-p${gone}-AbC123`,
      ];
      for (const name of names) mkdirSync(join(root, name));
      const removed = cleanStaleTempDirs(root);
      expect(removed.sort()).toEqual(
        names
          .slice(0, 2)
          .map((n) => join(root, n))
          .sort(),
      );
      expect(readdirSync(root).sort()).toEqual(names.slice(2).sort());
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
