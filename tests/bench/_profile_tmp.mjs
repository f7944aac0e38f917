/* global Request, Response */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { EMBEDDED_URL, parseTurn, randomAnonKey, serveRows, handlerNetwork } from '@localds/agent';
import { NodePyodideSandbox } from '@localds/agent/node';
import { generateDataset, getBenchmark, tableOf } from '@localds/benchmarks';
import { loadPyodide } from 'pyodide';
const b = getBenchmark('ab-test-analysis');
const { responses } = JSON.parse(readFileSync('fixtures/replays/stdlib-correct.json', 'utf8'));
const cells = responses.flatMap((t) => parseTurn(t).segments.filter((s) => s.kind === 'code').map((s) => s.code));
const served = serveRows(generateDataset('large-paginated'), EMBEDDED_URL, tableOf(b), randomAnonKey());
const mode = process.argv[2];
if (mode === 'sandbox') {
  const sb = new NodePyodideSandbox({ network: handlerNetwork([served.allowedPrefix], served.fetchHandler) });
  await sb.ready;
  await sb.writeFile('supabase.json', new TextEncoder().encode(served.supabaseJson));
  const times = [];
  for (const c of cells) { const t = performance.now(); const r = await sb.run(c); times.push([Math.round(performance.now() - t), r.durationMs, r.status, r.requests.length]); }
  console.log('sandbox', JSON.stringify(times), times.reduce((a, x) => a + x[0], 0));
  await sb.dispose();
} else {
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const answer = await served.fetchHandler({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers) });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
  const py = await loadPyodide();
  py.setStdout({ batched: () => undefined }); py.setStderr({ batched: () => undefined });
  py.FS.mkdirTree('/work'); py.FS.chdir('/work');
  py.FS.writeFile('supabase.json', served.supabaseJson);
  const times = [];
  for (const c of cells) { const t = performance.now(); await py.runPythonAsync(c); times.push(Math.round(performance.now() - t)); }
  console.log('direct', JSON.stringify(times), times.reduce((a, x) => a + x, 0));
}
