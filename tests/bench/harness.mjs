// The harness's own cost. (a) Pyodide start in the Node sandbox: cold (a new child process until
// ready), warm (restart(): a new kernel in the same sandbox) and with a spare kernel booted in the
// background. (b) A replayed stdlib-only run through the whole harness (runBenchmark: endpoint,
// sandbox child, loop, notebook and run.json) against the same cells run directly in one in-process
// Pyodide (`runPythonAsync` per cell) answered by the same embedded endpoint. Figures only.
// Both sides are timed from nothing to the last cell's answer: the direct run too generates and
// serves the scenario's rows (it needs them to answer the same requests). "Start excluded" is the
// time after each side's Python is ready: the harness's run from its sandbox's ready to its return,
// the direct run's cells; what comes before ready (data, boot, which the harness overlaps) is the
// start.
/* global Request, Response -- Node 20's fetch classes, used to answer pyfetch in-process */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  createReplayModel,
  EMBEDDED_URL,
  parseTurn,
  randomAnonKey,
  runBenchmark,
  serveRows,
} from '@localds/agent';
import { pyodideSandboxFactory, NodePyodideSandbox } from '@localds/agent/node';
import { generateDataset, getBenchmark, tableOf } from '@localds/benchmarks';
import { loadPyodide } from 'pyodide';

const REPEATS = 5;
const RUNS = 3;
const SCENARIO = 'large-paginated';
const REPLAY = fileURLToPath(new URL('../fixtures/replays/stdlib-correct.json', import.meta.url));
const benchmark = getBenchmark('ab-test-analysis');

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/** New sandbox → ready, each in its own child process. */
async function coldStarts() {
  const times = [];
  for (let i = 0; i < REPEATS; i++) {
    const sandbox = new NodePyodideSandbox();
    times.push((await timed(() => sandbox.ready)).ms);
    await sandbox.dispose();
  }
  return times;
}

/** restart() → a cell runs on the new kernel; with a spare, after giving it time to boot. */
async function warmStarts(spareKernel, idleMs) {
  const sandbox = new NodePyodideSandbox({ spareKernel });
  await sandbox.ready;
  const times = [];
  try {
    for (let i = 0; i < REPEATS; i++) {
      await sleep(idleMs);
      times.push(
        (
          await timed(async () => {
            await sandbox.restart();
            await sandbox.run('1');
          })
        ).ms,
      );
    }
  } finally {
    await sandbox.dispose();
  }
  return times;
}

/** The replay's code cells, in order, as the loop would run them. */
function replayCells(responses) {
  return responses.flatMap((text) =>
    parseTurn(text)
      .segments.filter((s) => s.kind === 'code')
      .map((s) => s.code),
  );
}

/** One run through runBenchmark; its start is the time until its sandbox was ready. */
async function harnessRun(responses) {
  const factory = pyodideSandboxFactory();
  const t0 = performance.now();
  let startMs = 0;
  const timedFactory = async (setup) => {
    const created = await factory(setup);
    created.sandbox.ready.then(
      () => (startMs = performance.now() - t0),
      () => undefined,
    );
    return created;
  };
  const { value: run, ms } = await timed(() =>
    runBenchmark({
      benchmark,
      model: createReplayModel({ responses }, { name: 'stdlib-correct' }),
      data: { kind: 'embedded', scenario: SCENARIO },
      sandboxFactory: timedFactory,
      isolation: 'node-pyodide',
      budgets: {
        maxTurns: 50,
        maxTotalTokens: 10_000_000,
        wallTimeMs: 600_000,
        cellTimeoutMs: 120_000,
      },
      score: false,
    }),
  );
  if (run.runJson.end_reason !== 'done') {
    throw new Error(`the harness run ended ${run.runJson.end_reason}: ${run.runJson.end_detail}`);
  }
  const failed = run.runJson.trace.cells.filter((c) => c.status !== 'ok');
  if (failed.length) throw new Error(`harness cells failed: ${JSON.stringify(failed)}`);
  return { totalMs: ms, startMs, cells: run.runJson.trace.cells.length };
}

/** The same cells in one in-process Pyodide, its fetch answered by the same embedded endpoint. */
async function directRun(cells) {
  const prepared = await timed(() =>
    serveRows(generateDataset(SCENARIO), EMBEDDED_URL, tableOf(benchmark), randomAnonKey()),
  );
  const served = prepared.value;
  const realFetch = globalThis.fetch;
  // pyfetch calls the global fetch; the harness's own transport is what is being measured against.
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const body = ['GET', 'HEAD'].includes(request.method)
      ? undefined
      : new Uint8Array(await request.arrayBuffer());
    const answer = await served.fetchHandler({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      ...(body ? { body } : {}),
    });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
  try {
    const load = await timed(async () => {
      const py = await loadPyodide();
      // The sandbox imports pyodide.http while it boots (its guards bind fetch): so does this side.
      await py.runPythonAsync('import pyodide.http');
      return py;
    });
    const pyodide = load.value;
    pyodide.setStdout({ batched: () => undefined });
    pyodide.setStderr({ batched: () => undefined });
    pyodide.FS.mkdirTree('/work');
    pyodide.FS.chdir('/work');
    pyodide.FS.writeFile(benchmark.dataAccess.configFile, served.supabaseJson);
    const exec = await timed(async () => {
      for (const code of cells) await pyodide.runPythonAsync(code);
    });
    const summary = JSON.parse(pyodide.FS.readFile('summary.json', { encoding: 'utf8' }));
    if (!summary.decision) throw new Error('the direct run wrote no decision');
    return { loadMs: prepared.ms + load.ms, cellsMs: exec.ms };
  } finally {
    globalThis.fetch = realFetch;
  }
}

export const harnessBench = {
  title: 'Harness: Pyodide start in the Node sandbox, and a replayed run against direct Pyodide',
  async run() {
    const lines = [];
    const cold = await coldStarts();
    const coldMedian = median(cold);
    lines.push(
      `cold start (new Node sandbox → ready), median of ${REPEATS}: ${seconds(coldMedian)} [${cold.map(seconds).join(', ')}]`,
    );
    const warm = await warmStarts(false, 0);
    lines.push(
      `warm start (restart() → first cell), median of ${REPEATS}: ${seconds(median(warm))} [${warm.map(seconds).join(', ')}]`,
    );
    const spare = await warmStarts(true, 1.5 * coldMedian);
    lines.push(
      `warm start with a spare kernel (idle ${seconds(1.5 * coldMedian)} between), median of ${REPEATS}: ${seconds(median(spare))} [${spare.map(seconds).join(', ')}]`,
    );

    const { responses } = JSON.parse(readFileSync(REPLAY, 'utf8'));
    const cells = replayCells(responses);
    const harness = [];
    const direct = [];
    for (let i = 0; i < RUNS; i++) {
      harness.push(await harnessRun(responses));
      direct.push(await directRun(cells));
    }
    const h = {
      total: median(harness.map((r) => r.totalMs)),
      start: median(harness.map((r) => r.startMs)),
    };
    const d = {
      load: median(direct.map((r) => r.loadMs)),
      cells: median(direct.map((r) => r.cellsMs)),
    };
    const hNoStart = median(harness.map((r) => r.totalMs - r.startMs));
    lines.push(
      `stdlib-correct replay (${cells.length} cells, scenario ${SCENARIO}), medians of ${RUNS} runs:`,
      `  harness (runBenchmark, unscored): ${seconds(h.total)} total, of which start (rows and boot, overlapped, until the sandbox is ready) ${seconds(h.start)}`,
      `  direct (rows served, in-process loadPyodide, runPythonAsync per cell): ${seconds(d.load + d.cells)} total, of which start (rows + load) ${seconds(d.load)}`,
      `  ratio, whole run: ${(h.total / (d.load + d.cells)).toFixed(2)}x`,
      `  ratio, start excluded (${seconds(hNoStart)} vs ${seconds(d.cells)}): ${(hNoStart / d.cells).toFixed(2)}x`,
    );
    return lines;
  },
};
