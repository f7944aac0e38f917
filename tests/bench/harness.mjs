// The harness's own cost. (a) Pyodide start in the Node sandbox: cold (a new child process until
// ready), warm (restart(): a new kernel in the same sandbox) and with a spare kernel booted in the
// background. (b) A replayed stdlib-only run through the whole harness (runBenchmark: endpoint,
// sandbox child, loop, notebook and run.json) against the same cells run directly in one Pyodide
// (`runPythonAsync` per cell) answered by the same embedded endpoint. Figures only.
// Both sides are timed from nothing to the last cell's answer: the direct run too generates and
// serves the scenario's rows (it needs them to answer the same requests). "Start excluded" is the
// time after each side's Python is ready: the harness's run from its sandbox's ready to its return,
// the direct run's cells; what comes before ready (data, boot, which the harness overlaps) is the
// start.
// The ratios compare like with like: each direct run is a fresh Node process, as each harness run's
// kernel is. V8 keeps the wasm code it compiled and tiered up for the life of a process, so a Pyodide
// started again in the same process runs its cells about twice as fast as the first; that warm figure
// is printed too, as the floor a fresh process cannot reach.
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createReplayModel, runBenchmark } from '@localds/agent';
import { pyodideSandboxFactory, NodePyodideSandbox } from '@localds/agent/node';
import { benchmark, directRun, replay, SCENARIO } from './direct-pyodide.mjs';
import { median, timed } from './measure.mjs';

const execFileAsync = promisify(execFile);
const REPEATS = 5;
// On this 2-core VM one run's post-start time varies by about 15% from run to run: nine a side, not
// five, for steadier medians (each run's figure is printed too, so the spread shows).
const RUNS = 9;
const DIRECT = fileURLToPath(new URL('./direct-pyodide.mjs', import.meta.url));

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

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

/** One run through runBenchmark; its start is the time until its sandbox was ready. */
async function harnessRun(responses, factoryOptions = {}) {
  const factory = pyodideSandboxFactory(factoryOptions);
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

/** One direct run in a fresh Node process, like the harness's kernel (see direct-pyodide.mjs). */
async function freshDirectRun() {
  const { stdout } = await execFileAsync(process.execPath, [DIRECT], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout);
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

    const { responses, cells } = replay();
    const harness = [];
    const fresh = [];
    const withJspi = [];
    // The three sides take turns going first, so that none always runs in the same place of the round
    // (after the same other side's process was torn down).
    const sides = [
      async () => harness.push(await harnessRun(responses)),
      async () => fresh.push(await freshDirectRun()),
      async () => withJspi.push(await harnessRun(responses, { jspi: true })),
    ];
    for (let i = 0; i < RUNS; i++) {
      for (let k = 0; k < sides.length; k++) await sides[(i + k) % sides.length]();
    }
    // The same cells again and again in this process: V8's code from the earlier runs is reused.
    const inProcess = [];
    for (let i = 0; i < REPEATS; i++) inProcess.push(await directRun(cells));
    const harnessSide = (runs) => ({
      total: median(runs.map((r) => r.totalMs)),
      start: median(runs.map((r) => r.startMs)),
      noStart: median(runs.map((r) => r.totalMs - r.startMs)),
    });
    const h = harnessSide(harness);
    const j = harnessSide(withJspi);
    const side = (runs) => ({
      load: median(runs.map((r) => r.loadMs)),
      cells: median(runs.map((r) => r.cellsMs)),
    });
    const d = side(fresh);
    const w = side(inProcess);
    const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
    lines.push(
      `stdlib-correct replay (${cells.length} cells, scenario ${SCENARIO}), medians of ${RUNS} runs:`,
      `  harness (runBenchmark, unscored; its kernel a new sandbox process): ${seconds(h.total)} total, of which start (rows and boot, overlapped, until the sandbox is ready) ${seconds(h.start)}`,
      `  direct (a new Node process: rows served, loadPyodide, runPythonAsync per cell): ${seconds(d.load + d.cells)} total, of which start (rows + load) ${seconds(d.load)}`,
      `  ratio, whole run: ${ratio(h.total, d.load + d.cells)}`,
      `  ratio, start excluded (${seconds(h.noStart)} vs ${seconds(d.cells)}): ${ratio(h.noStart, d.cells)} [each run, ms: harness ${harness.map((r) => Math.round(r.totalMs - r.startMs)).join(', ')}; direct ${fresh.map((r) => Math.round(r.cellsMs)).join(', ')}]`,
      `  with JSPI (what a kernel with packages gets, for \`requests\`): ${seconds(j.total)} total, ${seconds(j.noStart)} after start; ratios ${ratio(j.total, d.load + d.cells)} whole, ${ratio(j.noStart, d.cells)} start excluded`,
      `  floor no fresh process reaches: direct repeated ${REPEATS} times in this bench's process (V8 reuses the wasm code of earlier runs): ${seconds(w.load + w.cells)} total, cells ${seconds(w.cells)}; the harness is ${ratio(h.total, w.load + w.cells)} of it whole, ${ratio(h.noStart, w.cells)} start excluded`,
    );
    return lines;
  },
};
