// Entry of the sandbox child process (started by NodePyodideSandbox under Node's permission model).
// Boots Pyodide, mounts the run directory at /work, locks the globals, then runs cells on request.
// Everything model code prints is counted and cut here, so a flood never reaches the parent.
import fs from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { TextDecoder } from 'node:util';
import type { PyodideAPI } from 'pyodide';
import { KERNEL_PY } from '../kernel-py.js';
import { StreamLimiter, type StreamName } from '../outputs.js';
import { capWasmMemory, lockGlobals, PYTHON_GUARDS, shimBindingConstants } from './guards.js';
import type { ChildConfig, ChildMessage, ParentMessage } from './protocol.js';

type FetchReply = Extract<ParentMessage, { type: 'fetch-result' }>;
type RichOutput = Extract<ChildMessage, { type: 'display' }>['output'];

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const send = (msg: ChildMessage): void => {
  process.send?.(msg);
};

let wasmCapReached = false;
capWasmMemory(config.wasmMemoryMb * 1024 * 1024, () => {
  wasmCapReached = true;
});
shimBindingConstants(process, fs.constants);

/** The cell being run: output goes to it; output outside a cell (e.g. at boot) is dropped. */
let cell: {
  id: number;
  limiter: StreamLimiter;
  decoders: Record<StreamName, TextDecoder>;
  richBytes: number;
  droppedRich: number;
} | null = null;

function streamWriter(name: StreamName) {
  return {
    write(buffer: Uint8Array): number {
      if (cell) {
        const kept = cell.limiter.accept(name, buffer);
        const text = kept.length ? cell.decoders[name].decode(kept, { stream: true }) : '';
        if (text) send({ type: 'stream', id: cell.id, name, text });
      }
      return buffer.length;
    },
  };
}

const pendingFetches = new Map<number, (reply: FetchReply) => void>();
let fetchSeq = 0;

/** Model code's only network: the request goes to the parent, which checks the allow-list and answers. */
async function guardedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
  const id = ++fetchSeq;
  const reply = await new Promise<FetchReply>((resolve) => {
    pendingFetches.set(id, resolve);
    send({
      type: 'fetch',
      id,
      request: {
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers),
        body,
      },
    });
  });
  const status = reply.status >= 200 && reply.status <= 599 ? reply.status : 502;
  const nullBody = status === 204 || status === 205 || status === 304;
  const response = new Response(nullBody ? null : reply.body, { status, headers: reply.headers });
  Object.defineProperty(response, 'url', { value: request.url });
  return response;
}

function errorOutput(ename: string, evalue: string): RichOutput {
  return { output_type: 'error', ename, evalue, traceback: [`${ename}: ${evalue}`] };
}

function isFatal(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    ('pyodide_fatal_error' in err || String((err as Error).message).includes('fatal error'))
  );
}

async function boot(): Promise<(code: string) => Promise<string>> {
  const { loadPyodide } = (await import(config.pyodideUrl)) as typeof import('pyodide');
  const pyodide: PyodideAPI = await loadPyodide({
    indexURL: `${config.indexDir}/`,
    lockFileURL: join(config.packageDir, 'pyodide-lock.json'),
    packageBaseUrl: `${config.packageDir}/`,
    packageCacheDir: config.packageDir,
    env: { HOME: '/work' },
    stdout: () => undefined,
    stderr: () => undefined,
  });
  pyodide.setStdout(streamWriter('stdout'));
  pyodide.setStderr(streamWriter('stderr'));
  pyodide.setStdin({ error: true });

  const { FS } = pyodide;
  FS.mkdirTree('/work');
  FS.mount(FS.filesystems.NODEFS, { root: config.runDir }, '/work');
  FS.chdir('/work');

  if (config.packages.length > 0) {
    const problems: string[] = [];
    await pyodide.loadPackage(config.packages, {
      messageCallback: () => undefined,
      errorCallback: (message: string) => problems.push(message),
    });
    // loadPackage logs failures instead of throwing: check what really arrived.
    const missing = config.packages.filter((name) => !(name in pyodide.loadedPackages));
    if (missing.length > 0) {
      throw new Error(
        `could not load Pyodide packages ${missing.join(', ')} from ${config.packageDir}` +
          (problems.length ? `: ${problems.join('; ')}` : ''),
      );
    }
  }

  pyodide.runPython(PYTHON_GUARDS);
  // Reachable from model code (it is the kernel's emit), so it keeps its own budget.
  const emit = (json: string) => {
    if (!cell) return;
    if (cell.richBytes + json.length > config.maxRichOutputBytes) {
      cell.droppedRich += 1;
      return;
    }
    cell.richBytes += json.length;
    send({ type: 'display', id: cell.id, output: JSON.parse(json) as RichOutput });
  };
  pyodide.globals.set('_localds_source', KERNEL_PY);
  pyodide.globals.set('_localds_emit', emit);
  pyodide.runPython(`
import sys, types
_m = types.ModuleType('_localds_kernel')
exec(_localds_source, _m.__dict__)
sys.modules['_localds_kernel'] = _m
_m.install(_localds_emit, ${Math.floor(config.maxReprChars)})
del _m, _localds_source, _localds_emit, sys, types
`);
  const kernel = pyodide.pyimport('_localds_kernel').KERNEL;

  lockGlobals({ realProcess: process, cwd: '/work', guardedFetch: guardedFetch as typeof fetch });
  // Package loading was the harness's job and is over; model code may not load from anywhere.
  const closed = () =>
    Promise.reject(
      new Error('package loading is closed once model code runs (preload packages in the harness)'),
    );
  Object.assign(pyodide, {
    loadPackage: closed,
    loadPackagesFromImports: closed,
    mountNodeFS: () => {
      throw new Error('mounting host folders is not allowed in the localds sandbox');
    },
  });
  delete (FS.filesystems as Record<string, unknown>).NODEFS;
  // Imported only now, so its `from js import fetch` binds the guarded fetch.
  pyodide.runPython('import pyodide.http');

  return (code: string) => kernel.run(code) as Promise<string>;
}

async function runCell(run: (code: string) => Promise<string>, id: number, code: string) {
  cell = {
    id,
    limiter: new StreamLimiter(config.maxOutputBytes),
    decoders: { stdout: new TextDecoder(), stderr: new TextDecoder() },
    richBytes: 0,
    droppedRich: 0,
  };
  wasmCapReached = false;
  let summary = { status: 'error' as 'ok' | 'error', figures: [] as object[], memory_error: false };
  let fatal = false;
  try {
    summary = JSON.parse(await run(code)) as typeof summary;
  } catch (err) {
    fatal = isFatal(err);
    const name = err instanceof Error ? err.name : 'Error';
    send({
      type: 'display',
      id,
      output: errorOutput(name, String((err as Error)?.message ?? err)),
    });
  }
  for (const name of ['stdout', 'stderr'] as const) {
    const rest = cell.decoders[name].decode();
    if (rest) send({ type: 'stream', id, name, text: rest });
  }
  send({
    type: 'result',
    id,
    status: summary.status,
    dropped: { ...cell.limiter.dropped },
    droppedRich: cell.droppedRich,
    figures: summary.figures,
    // A cell that caught its own MemoryError and finished keeps its kernel; one that died of it does not.
    memoryExhausted: summary.status === 'error' && (summary.memory_error || wasmCapReached),
    fatal,
  });
  cell = null;
}

const started = performance.now();
let queue = Promise.resolve();
try {
  const run = await boot();
  process.on('message', (msg: ParentMessage) => {
    if (msg.type === 'fetch-result') {
      pendingFetches.get(msg.id)?.(msg);
      pendingFetches.delete(msg.id);
    } else if (msg.type === 'run') {
      queue = queue.then(() => runCell(run, msg.id, msg.code));
    }
  });
  send({ type: 'ready', bootMs: Math.round(performance.now() - started) });
} catch (err) {
  send({ type: 'boot-error', message: err instanceof Error ? err.message : String(err) });
  process.exitCode = 1;
  process.disconnect?.();
}
