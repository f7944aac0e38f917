// runBenchmark end to end on its edges: the run's own key (random per run) planted by the model in
// every place it can reach, a harness crash, and native Python without bubblewrap.
import { getBenchmark } from '@localds/benchmarks';
import { containsSecret, REDACTED } from '@localds/scorer';
import { describe, expect, it } from 'vitest';
import type { ChatModel, ChatRequest, ChatStreamEvent } from '../src/model/types.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  nativeSandboxFactory,
  portableReport,
  pyodideSandboxFactory,
} from '../src/node-entry/index.js';
import { runBenchmark, type SandboxFactory } from '../src/run/index.js';
import { pyodideDir } from '../src/sandbox/pyodide-child/pyodide-child-sandbox.js';
import { FakeModel, fence } from './helpers/fakes.js';

const benchmark = getBenchmark('ab-test-analysis');
const budgets = { maxTurns: 5, maxTotalTokens: 1e6, wallTimeMs: 120_000, cellTimeoutMs: 60_000 };
const data = { kind: 'embedded', scenario: 'canonical' } as const;
const decoder = new TextDecoder();

/** Remembers the supabase.json the run writes, to learn the key it was given. */
function capturingFactory(inner: SandboxFactory, seen: string[]): SandboxFactory {
  return async (setup) => {
    const created = await inner(setup);
    const write = created.sandbox.writeFile.bind(created.sandbox);
    created.sandbox.writeFile = async (name, bytes) => {
      if (name === 'supabase.json') seen.push(decoder.decode(bytes));
      return write(name, bytes);
    };
    return created;
  };
}

/** A model that prints the key, then quotes back what it was shown (the key) as prose. */
function echoingModel(): ChatModel {
  let turn = 0;
  return {
    kind: 'replay',
    id: 'replay:echo',
    scripted: true,
    async *stream(request: ChatRequest): AsyncIterable<ChatStreamEvent> {
      turn++;
      const last = request.messages.at(-1)?.content ?? '';
      const text =
        turn === 1
          ? fence(
              [
                'import json',
                "key = json.load(open('supabase.json'))['headers']['apikey']",
                'print(key)',
                "json.dump({'status': 'inconclusive', 'decision': key}, open('summary.json', 'w'))",
                'key',
              ].join('\n'),
            )
          : `You showed me:\n\n${last}\n\nDONE`;
      yield { type: 'token', channel: 'answer', text };
      yield { type: 'done', finishReason: 'stop' };
    },
  };
}

describe('portableReport', () => {
  it('replaces the run directory and the home folder in every string, and nothing else', () => {
    const home = homedir();
    expect(
      portableReport(
        { a: `${home}/py/bin`, b: ['--bind', '/tmp/run-1', '/work'], c: `${home}2`, n: 3 },
        '/tmp/run-1',
      ),
    ).toEqual({ a: '~/py/bin', b: ['--bind', '<run-dir>', '/work'], c: `${home}2`, n: 3 });
  });
});

describe('runBenchmark', () => {
  it("keeps the run's own key out of every file, though the model printed, wrote and quoted it", async () => {
    const configs: string[] = [];
    const checkpoints: Map<string, Uint8Array>[] = [];
    const run = await runBenchmark({
      benchmark,
      model: echoingModel(),
      data,
      sandboxFactory: capturingFactory(pyodideSandboxFactory(), configs),
      isolation: 'node-pyodide',
      budgets,
      onCheckpoint: async ({ files }) => void checkpoints.push(files),
    });
    expect(run.runJson.end_reason).toBe('done');
    // The run and its re-execution each got a key of their own.
    expect(configs).toHaveLength(2);
    const keys = configs.map(
      (c) => (JSON.parse(c) as { headers: { apikey: string } }).headers.apikey,
    );
    expect(new Set(keys).size).toBe(2);
    // The model did see the key (its second turn quotes the printed output back).
    expect(
      run.result!.transcript.some((t) => t.role === 'assistant' && t.content.includes(keys[0]!)),
    ).toBe(true);
    expect([...run.files.keys()].sort()).toEqual(['analysis.ipynb', 'run.json', 'summary.json']);
    // The partial folders written during the run hold no key either.
    expect(checkpoints.length).toBeGreaterThan(2);
    for (const [name, bytes] of [run.files, ...checkpoints].flatMap((files) => [...files])) {
      const text = decoder.decode(bytes);
      for (const key of keys) expect(text.includes(key), `${name} holds a run key`).toBe(false);
      expect(containsSecret(text), name).toBe(false);
    }
    expect(decoder.decode(run.files.get('summary.json'))).toContain(REDACTED);
    expect(JSON.stringify(run.runJson.transcript)).toContain(`You showed me:`);
    // The walls it ran inside are on record, without the machine's paths.
    expect(run.runJson.isolation_report).toMatchObject({
      level: 'node-pyodide',
      codeFromStrings: false,
      permissionModel: { write: ['<run-dir>'] },
    });
  }, 120_000);

  it('ends a run whose sandbox cannot start with environment_error, unscored, before any turn', async () => {
    const model = new FakeModel([{ text: 'DONE' }]);
    const run = await runBenchmark({
      benchmark,
      model,
      data,
      sandboxFactory: async () => {
        throw new Error('no sandbox today');
      },
      isolation: 'node-pyodide',
      budgets,
    });
    expect(run.preflightError).toBe('no sandbox today');
    expect(run.runJson).toMatchObject({
      end_reason: 'environment_error',
      end_detail: 'the Python sandbox could not start: no sandbox today',
      transcript: [],
      trace: null,
      environment: { packages: 'full', loaded: [] },
      scorecard: null,
    });
    expect(model.requests).toHaveLength(0);
    expect(run.runJson.prompts.user).toBe(benchmark.task);
    expect(run.runJson.data.snapshot?.row_count).toBeGreaterThan(0);
    expect([...run.files.keys()]).toEqual(['run.json']);
    expect(run.scorecard).toBeNull();
  });

  it('preflight at node-pyodide: packages missing from the index end the run as environment_error', async () => {
    const empty = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), 'localds-empty-index-'));
    try {
      // The lock names pandas, but its wheel is not there: loadPackage logs and does not throw.
      const lock = JSON.parse(readFileSync(join(pyodideDir(), 'pyodide-lock.json'), 'utf8'));
      writeFileSync(join(empty, 'pyodide-lock.json'), JSON.stringify(lock));
      const model = new FakeModel([{ text: 'DONE' }]);
      const run = await runBenchmark({
        benchmark,
        model,
        data,
        sandboxFactory: pyodideSandboxFactory({ packageDir: empty, packages: ['pandas'] }),
        isolation: 'node-pyodide',
        budgets,
      });
      expect(run.runJson.end_reason).toBe('environment_error');
      expect(run.preflightError).toMatch(/could not load Pyodide packages .*pandas/);
      expect(run.runJson.end_detail).toContain(empty);
      expect(run.scorecard).toBeNull();
      expect(model.requests).toHaveLength(0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);

  it('stdlib-only: the task names only the standard library and run.json records the environment', async () => {
    const model = new FakeModel([{ text: `${fence('import json; print(1)')}\nDONE` }]);
    const run = await runBenchmark({
      benchmark,
      model,
      data,
      sandboxFactory: pyodideSandboxFactory(),
      isolation: 'node-pyodide',
      packages: 'stdlib-only',
      budgets,
      score: false,
    });
    const task = model.requests[0]!.messages[1]!.content;
    expect(task).not.toContain('Python packages available: pandas');
    expect(task).toContain(
      "Python packages available: only the Python standard library, plus Pyodide's built-in " +
        '`pyodide.http.pyfetch` for HTTP requests. pandas, scipy, matplotlib, requests are not ' +
        'installed and cannot be installed in this run.',
    );
    expect(run.runJson.prompts.user).toBe(task);
    expect(run.runJson.environment).toEqual({ packages: 'stdlib-only', loaded: [] });
    // The trace records each cell's peak memory (the Pyodide level: the wasm heap, tens of MiB).
    expect(run.runJson.trace?.cells[0]?.peak_memory_bytes).toBeGreaterThan(16 * 1024 * 1024);
  }, 60_000);

  it('runs native Python unisolated without bubblewrap, and says so in run.json', async () => {
    const run = await runBenchmark({
      benchmark,
      model: new FakeModel([{ text: `${fence("print('hi')")}\nDONE` }]),
      data,
      sandboxFactory: nativeSandboxFactory({ bwrapBin: '/nonexistent/bwrap' }),
      isolation: 'native-bwrap',
      budgets,
      score: true,
    });
    expect(run.runJson.isolation).toBe('native-unisolated');
    expect(run.warnings.join('\n')).toMatch(/UNISOLATED/);
    expect(run.runJson.scorecard!.notes.join('\n')).toMatch(
      /warning: native Python runs UNISOLATED/,
    );
    // The native level's per-cell peak resident set is in the trace too.
    expect(run.runJson.trace?.cells[0]?.peak_memory_bytes).toBeGreaterThan(1024 * 1024);
  }, 60_000);
});
