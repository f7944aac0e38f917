// The harness bench's baseline: the replay's cells run directly in one Pyodide, its fetch answered
// in-process by the same embedded endpoint. Imported to run in the bench's own process, or run as
// `node bench/direct-pyodide.mjs` to run once in a fresh process and print its timings as JSON: the
// like-for-like baseline, since the harness's kernel is always a fresh process (V8 keeps the wasm code
// it compiled and tiered up for the rest of a process's life, so a second Pyodide in one process runs
// much faster than the first).
/* global Request, Response -- Node 20's fetch classes, used to answer pyfetch in-process */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EMBEDDED_URL, parseTurn, randomAnonKey, serveRows } from '@localds/agent';
import { generateDataset, getBenchmark, tableOf } from '@localds/benchmarks';
import { loadPyodide } from 'pyodide';
import { timed } from './measure.mjs';

export const SCENARIO = 'large-paginated';
export const REPLAY = fileURLToPath(
  new URL('../fixtures/replays/stdlib-correct.json', import.meta.url),
);
export const benchmark = getBenchmark('ab-test-analysis');

/** The replay's model responses and its code cells, in order, as the loop would run them. */
export function replay() {
  const { responses } = JSON.parse(readFileSync(REPLAY, 'utf8'));
  const cells = responses.flatMap((text) =>
    parseTurn(text)
      .segments.filter((s) => s.kind === 'code')
      .map((s) => s.code),
  );
  return { responses, cells };
}

/**
 * The cells in one in-process Pyodide, its fetch answered by the embedded endpoint. Timed from nothing:
 * `loadMs` generates and serves the scenario's rows (the direct run needs them to answer the same
 * requests) and loads Pyodide; `cellsMs` runs the cells.
 */
export async function directRun(cells) {
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await directRun(replay().cells)));
}
