import { readFileSync } from 'node:fs';
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
import {
  childrenOf,
  codeOutputs,
  notebookErrors,
  resultMessages,
  text,
  witnessServer,
  type Notebook,
  type NotebookError,
  type Witness,
} from './helpers/adversarial.js';
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
 * Most cases are rows of a table (a `Case`): the replay, what the run must end with and leave on
 * record; `runCase` runs one and checks each field with its own assertion. Cases that arrange more
 * than a replay (their own run directory, the CLI) are written out below the tables.
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
/** What a refused request's record says, and what model code is told (the run's data URL, no key). */
const BLOCKED = expect.stringMatching(
  /^request to 127\.0\.0\.1:\d+ blocked: this sandbox only answers the run's data URL, http:\/\/embedded\.localds\.invalid\/rest\/v1\/; every other host is unreachable from model code$/,
) as unknown as string;
const BLOCKED_TOLD =
  /refused: 403 localds sandbox: request to 127\.0\.0\.1:\d+ blocked: this sandbox only answers the run's data URL, http:\/\/embedded\.localds\.invalid\/rest\/v1\//;

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

type Cell = NonNullable<RunJson['trace']>['cells'][number];
type Request = NonNullable<RunJson['trace']>['requests'][number];

/**
 * One adversarial run as a row: the replay, and what the run must end with and leave on record.
 * Each optional field is one focused check (absent: not checked). Every run is also checked for
 * escapes: no connection to the witness server, no marker file.
 */
interface Case {
  /** The test's name (it appears in CI output). */
  name: string;
  /** The fixture under tests/fixtures/replays/adversarial, without `.json`. */
  replay: string;
  /** Set where the case holds at one level only (the attack behaves differently at the other). */
  only?: Level['python'];
  budgets?: Partial<AgentBudgets>;
  /** run.json's end_reason, and what its end_detail must say. */
  end?: { reason: RunJson['end_reason']; detail: RegExp };
  /** Every cell's status, in order. */
  statuses?: Cell['status'][];
  /** The first cells of the trace, each a partial match (later cells are not looked at). */
  cells?: Partial<Record<keyof Cell, unknown>>[];
  /** How many cells ran. */
  cellCount?: number;
  /** The harness's answer to the model after each turn, in order: the pattern(s) each must match. */
  told?: (RegExp | RegExp[])[];
  notebook?: {
    /** The names of all the notebook's error outputs, in order. */
    errorNames?: string[];
    errorCount?: number;
    /** The first error output, a partial match. */
    firstError?: Partial<Record<keyof NotebookError, unknown>>;
    /** Text that some cell's source must contain. */
    source?: string;
  };
  /** Every data request the harness recorded, each a partial match; `path` is on the witness server. */
  requests?: (Partial<Omit<Request, 'url'>> & { path: string })[];
  /** A normal replay right after works. */
  healthyAfter?: true;
  /** Checks no field above can say. */
  also?: (outcome: Outcome) => void;
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
  const json = readFileSync(join(FIXTURES, `${name}.json`), 'utf8')
    .replaceAll('__HOST__', witness.url)
    .replaceAll('__PORT__', String(witness.port))
    .replaceAll('__MARKER__', marker);
  return JSON.parse(json);
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

/** The shared runner: one case's replay at one level, then each of its checks. */
async function runCase(level: Level, c: Case): Promise<void> {
  const before = witness.connections();
  const outcome = await runReplay(level, c.replay, c.budgets);
  const { runJson, notebook } = outcome;
  if (c.end) expectEnd(runJson, c.end);
  expectCells(runJson.trace!.cells, c);
  if (c.told) expectTold(runJson, c.told);
  if (c.notebook) expectNotebook(notebook, c.notebook);
  if (c.requests) expectRequests(runJson, c.requests);
  c.also?.(outcome);
  await expectNothingEscaped(before);
  if (c.healthyAfter) await expectHealthy(level);
}

function expectEnd(runJson: RunJson, end: NonNullable<Case['end']>): void {
  expect(runJson.end_reason).toBe(end.reason);
  expect(runJson.end_detail).toMatch(end.detail);
}

function expectCells(cells: Cell[], c: Case): void {
  if (c.statuses) expect(cells.map((cell) => cell.status)).toEqual(c.statuses);
  c.cells?.forEach((want, i) => expect(cells[i], `cell ${i}`).toMatchObject(want));
  if (c.cellCount !== undefined) expect(cells).toHaveLength(c.cellCount);
}

function expectTold(runJson: RunJson, told: NonNullable<Case['told']>): void {
  const messages = resultMessages(runJson);
  told.forEach((patterns, i) => {
    for (const pattern of [patterns].flat()) {
      expect(messages[i], `the answer to turn ${i + 1}`).toMatch(pattern);
    }
  });
}

function expectNotebook(notebook: Notebook, want: NonNullable<Case['notebook']>): void {
  const errors = notebookErrors(notebook);
  if (want.errorNames) expect(errors.map((e) => e.ename)).toEqual(want.errorNames);
  if (want.errorCount !== undefined) expect(errors).toHaveLength(want.errorCount);
  if (want.firstError) expect(errors[0], 'the first error output').toMatchObject(want.firstError);
  if (want.source !== undefined) {
    const sources = notebook.cells.map((cell) => text(cell.source));
    expect(
      sources.some((s) => s.includes(want.source!)),
      `a cell with ${want.source}`,
    ).toBe(true);
  }
}

function expectRequests(runJson: RunJson, requests: NonNullable<Case['requests']>): void {
  expect(runJson.trace!.requests).toEqual(
    requests.map(({ path, ...request }) =>
      expect.objectContaining({ ...request, url: `${witness.url}${path}` }),
    ),
  );
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

/** The looping cell ran until its time limit, not less. */
function stoppedAtTimeLimit({ runJson }: Outcome): void {
  expect(runJson.trace!.cells[0]!.duration_ms).toBeGreaterThanOrEqual(CELL_TIMEOUT_MS - 100);
}

/** 200 MB of stdout: a bounded head is kept with a marker counting the rest, everywhere it lands. */
function floodIsBounded({ runJson, notebook, files }: Outcome): void {
  const stdout = codeOutputs(notebook)
    .flat()
    .filter((o) => o.output_type === 'stream')
    .map((o) => text(o.text))
    .join('');
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
}

/** Each cell's error message is what the notebook shows as its error output, in order. */
function notebookShowsCellErrors({ runJson, notebook }: Outcome): void {
  expect(notebookErrors(notebook).map((e) => e.evalue)).toEqual(
    runJson.trace!.cells.map((c) => c.error!.message),
  );
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

const INFINITE_LOOP =
  'an infinite loop: the cell is stopped at its time limit and the model told what happened';
const STOPPED = /stopped: it ran past the/;

/** Cases whose code is plain Python, the same attack at both levels. */
const PLAIN_PYTHON: Case[] = [
  {
    name: INFINITE_LOOP,
    replay: 'infinite-loop',
    // No SharedArrayBuffer interrupt in the Node child: the kernel is replaced and state lost.
    only: 'pyodide',
    end: { reason: 'model_exhausted', detail: /no response left/ },
    cells: [{ status: 'timeout' }, { status: 'error', error: { name: 'NameError' } }],
    told: [[STOPPED, /every variable and import is lost/]],
    notebook: { firstError: { evalue: expect.stringMatching(/state was lost/) } },
    also: stoppedAtTimeLimit,
    healthyAfter: true,
  },
  {
    name: INFINITE_LOOP,
    replay: 'infinite-loop',
    // CPython is interrupted (KeyboardInterrupt) at the time limit and keeps its state.
    only: 'native',
    end: { reason: 'model_exhausted', detail: /no response left/ },
    cells: [
      { status: 'timeout', error: { name: 'KeyboardInterrupt' } },
      { status: 'ok', error: null },
    ],
    told: [[STOPPED, /ran longer than 4000 ms and was interrupted; variables are kept/], /42/],
    notebook: { firstError: { ename: 'KeyboardInterrupt' } },
    also: stoppedAtTimeLimit,
    healthyAfter: true,
  },
  {
    name: '200 MB of output: a bounded head is kept with a marker counting the rest; notebook and run.json stay small',
    replay: 'output-flood',
    cells: [{ status: 'ok' }],
    also: floodIsBounded,
    healthyAfter: true,
  },
  {
    name: 'a memory bomb: stopped at the memory ceiling with a MemoryError, and the kernel goes on',
    replay: 'memory-bomb',
    // Room to reach the default ceiling (native: 4 GiB of address space) before the cell's time runs out.
    budgets: { cellTimeoutMs: 30_000 },
    cells: [{ status: 'error', error: { name: 'MemoryError' } }, { status: 'ok' }],
    notebook: { firstError: { ename: 'MemoryError' } },
    healthyAfter: true,
  },
  {
    name: 'a raw socket to a host port connects nowhere',
    replay: 'escape-socket',
    cells: [
      {
        status: 'error',
        error: {
          name: expect.stringMatching(/OSError|Connection\w*Error|TimeoutError|PermissionError/),
        },
      },
    ],
    notebook: { errorCount: 1 },
  },
  {
    name: 'a malformed or unterminated fence: runs if it compiles, else the model gets the syntax error',
    replay: 'malformed-fence',
    statuses: ['ok', 'error'],
    cells: [{ status: 'ok' }, { error: { name: 'SyntaxError' } }],
    told: [
      /\[cell 1\] ok[\s\S]*42/,
      [/had no closing fence[\s\S]*does not compile/, /SyntaxError/],
      /only blocks fenced as ```python run/,
    ],
    notebook: { source: '```pyhton', errorNames: ['SyntaxError'] },
  },
  {
    name: 'a model that never finishes: ends on the turns budget',
    replay: 'never-finishes',
    budgets: { maxTurns: 3 },
    end: { reason: 'budget_turns', detail: /budget of 3 turns/ },
    cellCount: 3,
  },
  {
    name: 'a model that never finishes, slowly: ends on the wall-time budget',
    replay: 'never-finishes-slowly',
    budgets: { wallTimeMs: 3_500, maxTurns: 1_000 },
    end: { reason: 'budget_wall_time', detail: /wall-time budget of 3500 ms/ },
    also: ({ runJson }) =>
      expect(runJson.timings.duration_ms).toBeLessThan(3_500 + CELL_TIMEOUT_MS),
    healthyAfter: true,
  },
];

const NO_CODE_FROM_STRINGS = /EvalError: Code generation from strings disallowed/;
/** Each of a JavaScript escape's two attempts fails with a recorded error matching its pattern. */
function jsEscape(replay: string, messages: [RegExp, RegExp]): Case {
  return {
    name: `${replay}: every attempt fails with a recorded error, nothing runs on the host`,
    replay,
    statuses: ['error', 'error'],
    cells: messages.map((message) => ({ error: { message: expect.stringMatching(message) } })),
    also: notebookShowsCellErrors,
  };
}

/** Routes out of Pyodide through its JavaScript host. */
const JS_ROUTES: Case[] = [
  {
    name: 'a request to a host not allowed: answered 403 by the harness, recorded, never received',
    replay: 'disallowed-host-pyodide',
    cells: [
      {
        status: 'error',
        error: { name: 'RuntimeError', message: expect.stringMatching(/refused: 403 .*blocked/) },
      },
    ],
    // The model is told why in words, and run.json's trace records the same reason.
    requests: [{ cell: 0, method: 'GET', path: '/steal', status: 403, blocked: BLOCKED }],
    notebook: { firstError: { evalue: expect.stringMatching(BLOCKED_TOLD) } },
  },
  {
    name: 'js.fetch to the host: refused the same way',
    replay: 'escape-js-fetch',
    cells: [{ status: 'error' }],
    requests: [{ method: 'POST', path: '/exfiltrate', status: 403 }],
  },
  // js.process has no mainModule, and getBuiltinModule is a guard that throws.
  jsEscape('escape-js-process', [
    /^mainModule$/,
    /getBuiltinModule is not available in the localds sandbox/,
  ]),
  // run_js is eval: --disallow-code-generation-from-strings in the child refuses it.
  jsEscape('escape-run-js', [NO_CODE_FROM_STRINGS, NO_CODE_FROM_STRINGS]),
  // js.Worker is a guard; a worker_threads Worker would need run_js (eval) first.
  jsEscape('escape-worker', [
    /Worker is not available in the localds sandbox/,
    NO_CODE_FROM_STRINGS,
  ]),
  {
    name: 'a memory bomb on the JavaScript heap: the kernel dies at its heap ceiling, is replaced, and the model is told',
    replay: 'memory-bomb-js',
    budgets: { cellTimeoutMs: 30_000 },
    cells: [
      {
        status: 'crashed',
        error: {
          name: 'KernelCrashed',
          message: expect.stringMatching(/the Python process died .*state was lost/),
        },
      },
      { status: 'ok' },
    ],
    told: [
      /the Python kernel crashed[\s\S]*every variable and import is lost/,
      /alive after the bomb/,
    ],
    notebook: { firstError: { ename: 'KernelCrashed' } },
  },
];

/** Routes out of native CPython through the operating system. */
const OS_ROUTES: Case[] = [
  {
    name: 'a raw socket: no network, refused with the reason in words, and recorded as a blocked attempt',
    replay: 'escape-socket',
    cells: [
      {
        status: 'error',
        error: {
          name: 'ConnectionRefusedError',
          message: expect.stringMatching(
            /localds sandbox: request to 127\.0\.0\.1:\d+ blocked: this sandbox only answers the run's data URL.*this sandbox has no network/,
          ),
        },
      },
    ],
    also: ({ runJson }) => {
      expect(runJson.trace!.requests).toEqual([
        expect.objectContaining({
          method: 'CONNECT',
          url: `tcp://${new URL(witness.url).host}`,
          status: 403,
          blocked: BLOCKED,
        }),
      ]);
    },
  },
  {
    name: 'a request to a host not allowed: answered 403 by the harness, recorded, never received',
    replay: 'disallowed-host-native',
    cells: [{ status: 'error', error: { name: 'HTTPError' } }],
    requests: [{ cell: 0, method: 'GET', path: '/steal', status: 403, blocked: BLOCKED }],
    // urllib shows only the status line: its reason says why.
    notebook: {
      firstError: {
        evalue: expect.stringMatching(
          /^HTTP Error 403: Forbidden: request to 127\.0\.0\.1:\d+ blocked: this sandbox only answers the run's data URL, http:\/\/embedded\.localds\.invalid\/rest\/v1\//,
        ),
      },
    },
  },
  {
    name: 'child processes: run inside the sandbox, reach no network and write nothing outside',
    replay: 'escape-subprocess',
    statuses: ['error', 'error'],
    notebook: { errorNames: ['CalledProcessError', 'CalledProcessError'] },
    // The child's own urllib bypasses the kernel's transport and meets bubblewrap's empty network
    // namespace; the host folder of the marker does not exist in the sandbox's view.
    told: [
      /URLError: <urlopen error \[Errno \d+\] (Connection refused|Network is unreachable)>/,
      /touch: cannot touch .*: No such file or directory/,
    ],
    healthyAfter: true,
  },
];

describe.each([pyodide, native])('adversarial replays at the $isolation level', (level) => {
  for (const c of PLAIN_PYTHON.filter((c) => !c.only || c.only === level.python)) {
    it(c.name, () => runCase(level, c), SLOW);
  }

  // Bespoke: the sandbox runs in a directory the test chose, to look beside it afterwards.
  it(
    'a write outside the working directory: refused, and no host file appears',
    async () => {
      const before = witness.connections();
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
      await expectNothingEscaped(before);
    },
    SLOW,
  );
});

describe('adversarial replays at the node-pyodide level: routes out through JavaScript', () => {
  for (const c of JS_ROUTES) it(c.name, () => runCase(pyodide, c), SLOW);

  it('this process stays healthy after the escape attempts', () => expectHealthy(pyodide), SLOW);
});

describe('adversarial replays at the native-bwrap level: routes out through the OS', () => {
  for (const c of OS_ROUTES) it(c.name, () => runCase(native, c), SLOW);
});

describe('adversarial replays through `localds run` (written and scored by the CLI)', () => {
  it(
    'an infinite loop is stopped in the run and again in the counterfactual re-execution; the run is still scored',
    async () => {
      const run = await localdsRun([
        '--stdlib-only',
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
      expect(run.cli.stdout).toMatch(/0 of 95 judged, ended model_exhausted/);
    },
    SLOW,
  );
});

describe('after every adversarial run', () => {
  it('no sandbox process outlives its run', () => {
    expect(childrenOf(process.pid)).toEqual([]);
  });
});
