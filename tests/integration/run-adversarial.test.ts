import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  createReplayModel,
  runBenchmark,
  type AgentBudgets,
  type BenchmarkRun,
  type SandboxFactory,
} from '@localds/agent';
import { nativeSandboxFactory, pyodideSandboxFactory, writeRunFolder } from '@localds/agent/node';
import { getBenchmark } from '@localds/benchmarks';
import { RunJsonSchema, type RunJson } from '@localds/scorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/stack.js';
import { localdsRun, readTree } from './run-helpers.js';

/**
 * Adversarial replays through the whole harness (runBenchmark: data endpoint, sandbox, loop, run
 * folder written to disk), at the Node Pyodide level and, where the attack applies, the native
 * CPython level under bubblewrap. Each run must end with its error on record (run.json, trace,
 * notebook), leave no trace outside the sandbox (a real server on 127.0.0.1 counts every connection;
 * marker files outside the run directory must not appear), and leave this process able to do a
 * normal run right after.
 *
 * Fixtures name what the test supplies at run time: __HOST__ (the counting server's URL), __PORT__
 * (its port) and __MARKER__ (a host path outside the run directory that an escape would create).
 */
const FIXTURES = join(REPO_ROOT, 'tests/fixtures/replays/adversarial');
const benchmark = getBenchmark('ab-test-analysis');
const CELL_TIMEOUT_MS = 4_000;
const BUDGETS: AgentBudgets = {
  maxTurns: 10,
  maxTotalTokens: 1_000_000,
  wallTimeMs: 60_000,
  cellTimeoutMs: CELL_TIMEOUT_MS,
};
const SLOW = 60_000;

interface Level {
  python: 'pyodide' | 'native';
  isolation: RunJson['isolation'];
  factory: SandboxFactory;
  /** The same sandbox in a run directory the test chose (to look beside it afterwards). */
  factoryIn: (runDir: string) => SandboxFactory;
}

interface Outcome {
  run: BenchmarkRun;
  runJson: RunJson;
  notebook: Notebook;
  files: Map<string, Buffer>;
  dir: string;
}

interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
}
interface Notebook {
  cells: { cell_type: string; source: string | string[]; outputs?: NotebookOutput[] }[];
}

/** A server on 127.0.0.1 that counts every connection: any number above zero is an escape. */
interface Witness {
  url: string;
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}

async function witnessServer(): Promise<Witness> {
  let connections = 0;
  const server: Server = createServer((_req, res) => res.end('reached the host'));
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let out: string;
let witness: Witness;
let marker: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'localds-adversarial-'));
  // The marker's folder exists on the host, so only the sandbox's walls can stop the write.
  marker = join(out, 'outside', 'escaped.txt');
  await mkdir(dirname(marker));
  witness = await witnessServer();
});

afterAll(async () => {
  await witness?.close();
  await rm(out, { recursive: true, force: true });
});

/** The fixture's responses with the run-time placeholders filled in. */
function replay(name: string): unknown {
  const text = readFileSync(join(FIXTURES, `${name}.json`), 'utf8')
    .replaceAll('__HOST__', witness.url)
    .replaceAll('__PORT__', String(witness.port))
    .replaceAll('__MARKER__', marker);
  return JSON.parse(text);
}

/** One run of a fixture through runBenchmark, its folder written to disk and read back. */
async function runReplay(
  level: Level,
  name: string,
  budgets: Partial<AgentBudgets> = {},
  sandboxFactory = level.factory,
): Promise<Outcome> {
  const run = await runBenchmark({
    benchmark,
    model: createReplayModel(replay(name), { name }),
    data: { kind: 'embedded', scenario: 'canonical' },
    sandboxFactory,
    isolation: level.isolation,
    budgets: { ...BUDGETS, ...budgets },
    // The score is not what these runs test; its counterfactual would replay every attack once more.
    score: false,
  });
  const dir = await writeRunFolder(join(out, level.python), run.folderPath, run.files);
  const files = readTree(dir);
  const runJson = RunJsonSchema.parse(JSON.parse(files.get('run.json')!.toString('utf8')));
  const notebook = JSON.parse(files.get('analysis.ipynb')!.toString('utf8')) as Notebook;
  expect(runJson.isolation).toBe(level.isolation);
  return { run, runJson, notebook, files, dir };
}

const text = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('') : (v ?? ''));

/** The notebook's code cells' outputs, one list per cell. */
function codeOutputs(notebook: Notebook): NotebookOutput[][] {
  return notebook.cells.filter((c) => c.cell_type === 'code').map((c) => c.outputs ?? []);
}

function notebookErrors(notebook: Notebook): { ename: string; evalue: string }[] {
  return codeOutputs(notebook)
    .flat()
    .filter((o) => o.output_type === 'error')
    .map((o) => ({ ename: o.ename ?? '', evalue: o.evalue ?? '' }));
}

/** The user messages that answered each turn (the results), in order. */
function resultMessages(runJson: RunJson): string[] {
  return runJson.transcript
    .slice(2)
    .filter((t) => t.role === 'user')
    .map((t) => t.content);
}

/** A normal small replay right after: the harness and this process still work. */
async function expectHealthy(level: Level): Promise<void> {
  const { runJson, files } = await runReplay(level, 'healthy');
  expect(runJson.end_reason).toBe('done');
  expect(runJson.trace!.cells.map((c) => c.status)).toEqual(['ok', 'ok']);
  expect(JSON.parse(files.get('check.json')!.toString('utf8'))).toEqual({ mean: 3.875 });
}

/** Nothing reached the host: no connection to the witness server, no marker file. */
async function expectNothingEscaped(connectionsBefore: number): Promise<void> {
  expect(witness.connections() - connectionsBefore).toBe(0);
  expect(await readdir(dirname(marker))).toEqual([]);
}

const pyodide: Level = {
  python: 'pyodide',
  isolation: 'node-pyodide',
  factory: pyodideSandboxFactory(),
  factoryIn: (runDir) => pyodideSandboxFactory({ runDir }),
};
const NATIVE = { pythonBin: '/usr/bin/python3', isolation: 'bwrap' } as const;
const native: Level = {
  python: 'native',
  isolation: 'native-bwrap',
  factory: nativeSandboxFactory(NATIVE),
  factoryIn: (runDir) => nativeSandboxFactory({ ...NATIVE, runDir }),
};

/** Cases whose code is plain Python, the same attack at both levels. */
describe.each([pyodide, native])('adversarial replays at the $isolation level', (level) => {
  it(
    'an infinite loop: the cell is stopped at its time limit and the model told what happened',
    async () => {
      const { runJson, notebook } = await runReplay(level, 'infinite-loop');
      expect(runJson.end_reason).toBe('model_exhausted');
      expect(runJson.end_detail).toMatch(/no response left/);
      const [loop, after] = runJson.trace!.cells;
      expect(loop!.duration_ms).toBeGreaterThanOrEqual(CELL_TIMEOUT_MS - 100);
      const [first, second] = resultMessages(runJson);
      if (level.python === 'pyodide') {
        // No SharedArrayBuffer interrupt in the Node child: the kernel is replaced and state lost.
        expect(loop).toMatchObject({ status: 'timeout' });
        expect(first).toMatch(/stopped: it ran past the/);
        expect(after).toMatchObject({ status: 'error', error: { name: 'NameError' } });
        expect(first).toMatch(/every variable and import is lost/);
        expect(notebookErrors(notebook)[0]?.evalue).toMatch(/state was lost/);
      } else {
        // CPython is interrupted (KeyboardInterrupt) at the time limit and keeps its state.
        expect(loop).toMatchObject({ status: 'timeout' });
        expect(first).toMatch(/stopped: it ran past the/);
        expect(loop!.error).toMatchObject({ name: 'KeyboardInterrupt' });
        expect(first).toMatch(/ran longer than 4000 ms and was interrupted; variables are kept/);
        expect(notebookErrors(notebook)[0]?.ename).toBe('KeyboardInterrupt');
        expect(after).toMatchObject({ status: 'ok', error: null });
        expect(second).toMatch(/42/);
      }
      await expectHealthy(level);
    },
    SLOW,
  );

  it(
    '200 MB of output: a bounded head is kept with a marker counting the rest; notebook and run.json stay small',
    async () => {
      const { runJson, notebook, files } = await runReplay(level, 'output-flood');
      const [flood] = runJson.trace!.cells;
      expect(flood).toBeDefined();
      const stdout = codeOutputs(notebook)
        .flat()
        .filter((o) => o.output_type === 'stream')
        .map((o) => text(o.text))
        .join('');
      expect(flood).toMatchObject({ status: 'ok' });
      // What the cell wrote: 200 chunks of 1 MiB and a closing line.
      const written = 200 * (1 << 20) + 'finished flooding\n'.length;
      const cut = /\n… \[truncated (\d+) bytes\]\n$/.exec(stdout);
      expect(cut, stdout.slice(-200)).not.toBeNull();
      const kept = stdout.length - cut![0].length;
      expect(kept + Number(cut![1])).toBe(written);
      expect(kept).toBeLessThanOrEqual(1 << 20);
      expect(files.get('analysis.ipynb')!.length).toBeLessThan(1.5 * (1 << 20));
      expect(files.get('run.json')!.length).toBeLessThan(100 * 1024);
      // The model is shown a few thousand characters of it, with the marker.
      const shown = resultMessages(runJson)[0]!;
      expect(shown.length).toBeLessThan(5_000);
      expect(shown).toMatch(/truncated/);
      await expectHealthy(level);
    },
    SLOW,
  );

  it(
    'a memory bomb: stopped at the memory ceiling with a MemoryError, and the kernel goes on',
    async () => {
      // Room to reach the default ceiling (native: 4 GiB of address space) before the cell's time runs out.
      const { runJson, notebook } = await runReplay(level, 'memory-bomb', {
        cellTimeoutMs: 30_000,
      });
      const [bomb, after] = runJson.trace!.cells;
      expect(bomb).toMatchObject({ status: 'error', error: { name: 'MemoryError' } });
      expect(notebookErrors(notebook)[0]?.ename).toBe('MemoryError');
      expect(after).toMatchObject({ status: 'ok' });
      await expectHealthy(level);
    },
    SLOW,
  );

  it(
    'a raw socket to a host port connects nowhere',
    async () => {
      const before = witness.connections();
      const { runJson, notebook } = await runReplay(level, 'escape-socket');
      const [cell] = runJson.trace!.cells;
      expect(cell).toMatchObject({ status: 'error' });
      expect(cell!.error!.name).toMatch(/OSError|Connection\w*Error|TimeoutError|PermissionError/);
      expect(notebookErrors(notebook)).toHaveLength(1);
      await expectNothingEscaped(before);
    },
    SLOW,
  );

  it(
    'a write outside the working directory: refused, and no host file appears',
    async () => {
      const parent = join(out, `beside-${level.python}`);
      const runDir = join(parent, 'work');
      await mkdir(runDir, { recursive: true });
      const { runJson, files } = await runReplay(
        level,
        'write-outside',
        {},
        level.factoryIn(runDir),
      );
      const [absolute, relative] = runJson.trace!.cells;
      // The host path is not in the sandbox's view of the file system at all.
      expect(absolute).toMatchObject({ status: 'error', error: { name: 'FileNotFoundError' } });
      // `../` from the working directory lands in the sandbox's private root (Pyodide's in-memory
      // file system; bubblewrap's tmpfs), so the write "succeeds" there and nowhere on the host.
      expect(relative).toMatchObject({ status: 'ok' });
      expect(await readdir(parent)).toEqual(['work']);
      expect((await readdir(runDir)).filter((f) => f.includes('escaped'))).toEqual([]);
      expect([...files.keys()].filter((f) => f.includes('escaped'))).toEqual([]);
      await expectNothingEscaped(witness.connections());
    },
    SLOW,
  );

  it(
    'a malformed or unterminated fence: runs if it compiles, else the model gets the syntax error',
    async () => {
      const { runJson, notebook } = await runReplay(level, 'malformed-fence');
      expect(runJson.trace!.cells.map((c) => c.status)).toEqual(['ok', 'error']);
      expect(runJson.trace!.cells[1]!.error!.name).toBe('SyntaxError');
      const [compiled, cut, mistyped] = resultMessages(runJson);
      expect(compiled).toMatch(/\[cell 1\] ok[\s\S]*42/);
      expect(cut).toMatch(/had no closing fence[\s\S]*does not compile/);
      expect(cut).toMatch(/SyntaxError/);
      expect(mistyped).toMatch(/only blocks fenced as ```python run/);
      expect(notebook.cells.some((c) => text(c.source).includes('```pyhton'))).toBe(true);
      expect(notebookErrors(notebook).map((e) => e.ename)).toEqual(['SyntaxError']);
    },
    SLOW,
  );

  it(
    'a model that never finishes: ends on the turns budget',
    async () => {
      const { runJson } = await runReplay(level, 'never-finishes', { maxTurns: 3 });
      expect(runJson.end_reason).toBe('budget_turns');
      expect(runJson.end_detail).toMatch(/budget of 3 turns/);
      expect(runJson.trace!.cells).toHaveLength(3);
    },
    SLOW,
  );

  it(
    'a model that never finishes, slowly: ends on the wall-time budget',
    async () => {
      const { runJson } = await runReplay(level, 'never-finishes-slowly', {
        wallTimeMs: 3_500,
        maxTurns: 1_000,
      });
      expect(runJson.end_reason).toBe('budget_wall_time');
      expect(runJson.end_detail).toMatch(/wall-time budget of 3500 ms/);
      expect(runJson.timings.duration_ms).toBeLessThan(3_500 + CELL_TIMEOUT_MS);
      await expectHealthy(level);
    },
    SLOW,
  );
});

describe('adversarial replays at the node-pyodide level: routes out through JavaScript', () => {
  const level = pyodide;

  it(
    'a request to a host not allowed: answered 403 by the harness, recorded, never received',
    async () => {
      const before = witness.connections();
      const { runJson, notebook } = await runReplay(level, 'disallowed-host-pyodide');
      const [cell] = runJson.trace!.cells;
      expect(cell).toMatchObject({ status: 'error', error: { name: 'RuntimeError' } });
      expect(cell!.error!.message).toMatch(/refused: 403 .*blocked/);
      expect(runJson.trace!.requests).toEqual([
        expect.objectContaining({
          cell: 0,
          method: 'GET',
          url: `${witness.url}/steal`,
          status: 403,
        }),
      ]);
      expect(notebookErrors(notebook)[0]?.evalue).toMatch(/refused: 403/);
      await expectNothingEscaped(before);
    },
    SLOW,
  );

  it(
    'js.fetch to the host: refused the same way',
    async () => {
      const before = witness.connections();
      const { runJson } = await runReplay(level, 'escape-js-fetch');
      expect(runJson.trace!.cells[0]).toMatchObject({ status: 'error' });
      expect(runJson.trace!.requests).toEqual([
        expect.objectContaining({ method: 'POST', url: `${witness.url}/exfiltrate`, status: 403 }),
      ]);
      await expectNothingEscaped(before);
    },
    SLOW,
  );

  const NO_CODE_FROM_STRINGS = /EvalError: Code generation from strings disallowed/;
  it.each([
    // js.process has no mainModule, and getBuiltinModule is a guard that throws.
    [
      'escape-js-process',
      [/^mainModule$/, /getBuiltinModule is not available in the localds sandbox/],
    ],
    // run_js is eval: --disallow-code-generation-from-strings in the child refuses it.
    ['escape-run-js', [NO_CODE_FROM_STRINGS, NO_CODE_FROM_STRINGS]],
    // js.Worker is a guard; a worker_threads Worker would need run_js (eval) first.
    ['escape-worker', [/Worker is not available in the localds sandbox/, NO_CODE_FROM_STRINGS]],
  ] as const)(
    '%s: every attempt fails with a recorded error, nothing runs on the host',
    async (name, expected) => {
      const before = witness.connections();
      const { runJson, notebook } = await runReplay(level, name);
      const cells = runJson.trace!.cells;
      expect(cells.map((c) => c.status)).toEqual(['error', 'error']);
      expected.forEach((pattern, i) => expect(cells[i]!.error!.message).toMatch(pattern));
      expect(notebookErrors(notebook).map((e) => e.evalue)).toEqual(
        cells.map((c) => c.error!.message),
      );
      await expectNothingEscaped(before);
    },
    SLOW,
  );

  it(
    'a memory bomb on the JavaScript heap: the kernel dies at its heap ceiling, is replaced, and the model is told',
    async () => {
      const { runJson, notebook } = await runReplay(level, 'memory-bomb-js', {
        cellTimeoutMs: 30_000,
      });
      const [bomb, after] = runJson.trace!.cells;
      expect(bomb).toMatchObject({ status: 'crashed', error: { name: 'KernelCrashed' } });
      expect(bomb!.error!.message).toMatch(/the Python process died .*state was lost/);
      expect(notebookErrors(notebook)[0]?.ename).toBe('KernelCrashed');
      const [first, second] = resultMessages(runJson);
      expect(first).toMatch(/the Python kernel crashed[\s\S]*every variable and import is lost/);
      expect(after).toMatchObject({ status: 'ok' });
      expect(second).toMatch(/alive after the bomb/);
    },
    SLOW,
  );

  it('this process stays healthy after the escape attempts', () => expectHealthy(level), SLOW);
});

describe('adversarial replays at the native-bwrap level: routes out through the OS', () => {
  const level = native;

  it(
    'a request to a host not allowed: answered 403 by the harness, recorded, never received',
    async () => {
      const before = witness.connections();
      const { runJson, notebook } = await runReplay(level, 'disallowed-host-native');
      const [cell] = runJson.trace!.cells;
      expect(cell).toMatchObject({ status: 'error', error: { name: 'HTTPError' } });
      expect(runJson.trace!.requests).toEqual([
        expect.objectContaining({
          cell: 0,
          method: 'GET',
          url: `${witness.url}/steal`,
          status: 403,
        }),
      ]);
      expect(notebookErrors(notebook)[0]?.evalue).toMatch(/403/);
      await expectNothingEscaped(before);
    },
    SLOW,
  );

  it(
    'child processes: run inside the sandbox, reach no network and write nothing outside',
    async () => {
      const before = witness.connections();
      const { runJson, notebook } = await runReplay(level, 'escape-subprocess');
      expect(runJson.trace!.cells.map((c) => c.status)).toEqual(['error', 'error']);
      expect(notebookErrors(notebook).map((e) => e.ename)).toEqual([
        'CalledProcessError',
        'CalledProcessError',
      ]);
      const [network, touch] = resultMessages(runJson);
      // The child's own urllib bypasses the kernel's transport and meets bubblewrap's empty network
      // namespace; the host folder of the marker does not exist in the sandbox's view.
      expect(network).toMatch(
        /URLError: <urlopen error \[Errno \d+\] (Connection refused|Network is unreachable)>/,
      );
      expect(touch).toMatch(/touch: cannot touch .*: No such file or directory/);
      await expectNothingEscaped(before);
      await expectHealthy(level);
    },
    SLOW,
  );
});

describe('adversarial replays through `localds run` (written and scored by the CLI)', () => {
  it(
    'an infinite loop is stopped in the run and again in the counterfactual re-execution; the run is still scored',
    async () => {
      const run = await localdsRun([
        '--model',
        `replay:${join(FIXTURES, 'infinite-loop.json')}`,
        '--cell-timeout',
        '2',
        '--out',
        join(out, 'cli'),
      ]);
      expect(run.runJson).toMatchObject({
        end_reason: 'model_exhausted',
        isolation: 'node-pyodide',
      });
      expect(run.runJson.trace!.cells.map((c) => c.status)).toEqual(['timeout', 'error']);
      const notebook = JSON.parse(run.files.get('analysis.ipynb')!.toString('utf8')) as Notebook;
      expect(notebookErrors(notebook).map((e) => e.ename)).toEqual(['TimeoutError', 'NameError']);
      expect(run.runJson.scorecard).toMatchObject({ earned: 0, mode: 'full' });
      expect(run.runJson.scorecard!.notes.join('\n')).toMatch(
        /counterfactual not judged: re-execution failed: .*cell 0: timeout/,
      );
      expect(run.cli.stdout).toMatch(/0\/100, ended model_exhausted/);
    },
    SLOW,
  );
});

/** Live (non-zombie) processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(ppid) === pid && state !== 'Z' ? [Number(name)] : [];
      } catch {
        return []; // gone between the listing and the read
      }
    });
}

describe('after every adversarial run', () => {
  it('no sandbox process outlives its run', () => {
    expect(childrenOf(process.pid)).toEqual([]);
  });
});
