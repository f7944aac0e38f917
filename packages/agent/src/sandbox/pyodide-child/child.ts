// Entry of the sandbox child process (started by NodePyodideSandbox under Node's permission model).
// Boots Pyodide, mounts the run directory at /work, locks the globals, then runs cells on request.
// Everything model code prints is counted and cut here, so a flood never reaches the parent.
import fs from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { TextDecoder } from 'node:util';
import type { PyodideAPI } from 'pyodide';
import { toFetchResponse } from '../network/fetch-response.js';
import type { SandboxResponse } from '../types.js';
import { installKernel, loadHarnessPackages, PyodideCells } from '../pyodide/pyodide-cells.js';
import { capWasmMemory } from '../pyodide/wasm-memory.js';
import { lockGlobals, PYTHON_GUARDS, shimBindingConstants } from './guards.js';
import { readBody } from './body-channel.js';
import type { ChildConfig, ChildMessage, ParentMessage } from './protocol.js';

// The IPC channel closes when the parent dies: leave with it (the parent-death signal is the main guard;
// this one covers machines without setpriv whenever the child is between cells).
process.once('disconnect', () => process.exit(1));

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const send = (msg: ChildMessage): void => {
  process.send?.(msg);
};

let wasmCapReached = false;
capWasmMemory(config.wasmMemoryMb * 1024 * 1024, () => {
  wasmCapReached = true;
});
shimBindingConstants(process, fs.constants);

// Everything model code prints goes to the running cell, counted and cut against the budgets.
const cells = new PyodideCells(
  config,
  {
    stream: (id, name, text) => send({ type: 'stream', id, name, text }),
    display: (id, output) => send({ type: 'display', id, output }),
  },
  () => new TextDecoder(),
);

const pendingFetches = new Map<number, (reply: SandboxResponse) => void>();
let fetchSeq = 0;

/** Model code's only network: the request goes to the parent, which checks the allow-list and answers. */
async function guardedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
  const id = ++fetchSeq;
  const reply = await new Promise<SandboxResponse>((resolve) => {
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
  return toFetchResponse(Response, reply, request.url);
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
  cells.attach(pyodide);

  const { FS } = pyodide;
  FS.mkdirTree('/work');
  FS.mount(FS.filesystems.NODEFS, { root: config.runDir }, '/work');
  FS.chdir('/work');

  await loadHarnessPackages(pyodide, config.packages, config.packageDir);

  pyodide.runPython(PYTHON_GUARDS);
  const runKernel = installKernel(pyodide, cells.emitRich, config.maxReprChars);

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

  return runKernel;
}

async function runCell(run: (code: string) => Promise<string>, id: number, code: string) {
  wasmCapReached = false;
  const end = await cells.run(id, code, run);
  send({
    type: 'result',
    id,
    status: end.status,
    dropped: end.dropped,
    droppedRich: end.droppedRich,
    figures: end.figures,
    // A cell that caught its own MemoryError and finished keeps its kernel; one that died of it does not.
    memoryExhausted: end.status === 'error' && (end.memoryError || wasmCapReached),
    fatal: end.fatal,
    peakMemoryBytes: end.heapBytes,
  });
}

const started = performance.now();
let queue = Promise.resolve();
try {
  const run = await boot();
  process.on('message', (msg: ParentMessage) => {
    if (msg.type === 'fetch-result') {
      // Read whether or not a fetch waits for it, so the channel stays in step with the messages.
      const body = readBody(msg.body);
      pendingFetches.get(msg.id)?.({ status: msg.status, headers: msg.headers, body });
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
