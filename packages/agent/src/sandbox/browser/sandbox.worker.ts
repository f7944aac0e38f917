// The sandbox worker: all Pyodide state lives here. Staged init — runtime, filesystem (/work in MEMFS),
// packages (loaded by the harness), guards, kernel — then cells on request. The main thread reaches it
// only through two private MessagePorts received in the first message; once they arrive the worker
// stops listening on its global scope, and its own postMessage is removed, so model code has no channel.
// Model code's requests are answered here, by the run's data endpoint (see data-network.ts), and
// reported to the main thread as events for the trace.
import * as Comlink from 'comlink';
import type { PyodideAPI } from 'pyodide';
import { z } from 'zod';
import {
  createDataNetwork,
  type DataEndpointSpec,
  type DataNetwork,
  type LiveTransport,
} from '../network/data-network.js';
import { refuseRequest } from '../network/network.js';
import { capWasmMemory } from '../pyodide/wasm-memory.js';
import { toFetchResponse } from '../network/fetch-response.js';
import { checkRunFileName } from '../files/file-names.js';
import { installKernel, loadHarnessPackages, PyodideCells } from '../pyodide/pyodide-cells.js';
import { guardedXhrClass } from './guarded-xhr.js';
import { installGuards, type Guards } from './guards.js';
import {
  HANDSHAKE,
  type InitStage,
  type SandboxWorkerApi,
  type WorkerConfig,
  type WorkerEvent,
  type WorkerFile,
} from './protocol.js';
import { workerScope, type WebMessageEvent, type WebMessagePort } from './web-types.js';
import type { SandboxRequest, SandboxResponse } from '../types.js';

type PyodideModule = typeof import('pyodide');
type Endpoint = Comlink.Endpoint;

// zod compiles its object validators with `new Function` unless told not to; the guards replace Function
// once Pyodide has booted, and the data endpoint (which validates its rows with zod) may be built after
// that: for a sandbox started before its run, in connectData.
z.config({ jitless: true });

const WORK = '/work';
// Captured now, before any model code can replace them on the global scope. The real XMLHttpRequest
// is used only in live Supabase mode, for reads the data endpoint has allowed.
const { Request, Response, TextDecoder } = globalThis;
const RealXhr = workerScope.XMLHttpRequest;

/**
 * The lock file packages are resolved with, fetched with a clear error: which URL, for which packages,
 * and why (the index is unreachable, or answered an error).
 */
async function fetchLockFile(url: string, packages: readonly string[]): Promise<string> {
  const what = packages.length
    ? `could not load Pyodide packages ${packages.join(', ')}: the package index's lock file ${url}`
    : `could not load Pyodide's lock file ${url}`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`${what} could not be fetched (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (!response.ok) throw new Error(`${what} was answered ${response.status}`);
  return response.text();
}

const workerUrl = String(workerScope.location?.href ?? 'http://localhost/');

/**
 * A port as comlink sees it, with its methods bound once and no prototype: comlink never looks anything
 * up on MessagePort's or Object's prototype again, so model code that rewrites those cannot reach the port.
 */
function privateEndpoint(port: WebMessagePort): Endpoint {
  const endpoint = Object.assign(Object.create(null) as object, {
    postMessage: port.postMessage.bind(port),
    addEventListener: port.addEventListener.bind(port),
    removeEventListener: port.removeEventListener.bind(port),
    start: port.start.bind(port),
    // comlink reads `constructor.name` to decide whether to close a port
    constructor: function PrivateEndpoint() {},
  });
  Object.freeze(endpoint);
  port.start();
  return endpoint as unknown as Endpoint;
}

/**
 * comlink reads `event.data` of every message on the private ports; pin that getter (and the event's
 * target) so model code cannot swap in one that hands it the event, and with it the port.
 */
function pinMessageEventAccessors(): void {
  const scope = globalThis as unknown as Record<string, { prototype: object } | undefined>;
  for (const [iface, name] of [
    ['MessageEvent', 'data'],
    ['MessageEvent', 'ports'],
    ['Event', 'target'],
    ['Event', 'currentTarget'],
    ['Event', 'srcElement'],
    ['Event', 'composedPath'],
  ] as const) {
    const proto = scope[iface]?.prototype;
    const desc = proto && Object.getOwnPropertyDescriptor(proto, name);
    if (!proto || !desc?.configurable) continue;
    Object.defineProperty(
      proto,
      name,
      'value' in desc ? { configurable: false, writable: false } : { configurable: false },
    );
  }
}

/** Where a run file lives in MEMFS; throws on a name that is not relative to the run directory. */
function workPath(name: string): string {
  checkRunFileName(name);
  return `${WORK}/${name}`;
}

/**
 * Live Supabase mode's way to the project: the worker's own synchronous XMLHttpRequest. Its methods
 * are taken now and called through the captured Reflect.apply, because this runs after model code,
 * which could replace Function.prototype.call or a prototype's method to be handed the real request.
 */
function liveXhrTransport(): LiveTransport {
  const { apply } = Reflect;
  const { hasOwn } = Object;
  const proto = RealXhr.prototype as object;
  const method = (name: string) => Reflect.get(proto, name) as (...args: unknown[]) => unknown;
  const getter = (name: string) =>
    Reflect.getOwnPropertyDescriptor(proto, name)?.get as (this: unknown) => unknown;
  const setter = (name: string) =>
    Reflect.getOwnPropertyDescriptor(proto, name)?.set as (this: unknown, v: unknown) => void;
  const [open, send, setHeader, allHeaders] = [
    method('open'),
    method('send'),
    method('setRequestHeader'),
    method('getAllResponseHeaders'),
  ];
  const [status, response, setResponseType] = [
    getter('status'),
    getter('response'),
    setter('responseType'),
  ];
  const { split } = String.prototype;
  const BytesOf = Uint8Array;
  return {
    fetchSync(req) {
      const xhr = new RealXhr();
      apply(open, xhr, [req.method, req.url, false]);
      apply(setResponseType, xhr, ['arraybuffer']);
      for (const name in req.headers) {
        if (hasOwn(req.headers, name)) apply(setHeader, xhr, [name, req.headers[name]]);
      }
      apply(send, xhr, [req.body ?? null]);
      // Only data from here on: what model code could still tamper with is its own answer.
      const headers: Record<string, string> = {};
      const lines = apply(split, apply(allHeaders, xhr, []), ['\r\n']) as string[];
      for (const line of lines) {
        const at = line.indexOf(':');
        if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      return {
        status: apply(status, xhr, []) as number,
        headers,
        body: new BytesOf(apply(response, xhr, []) as ArrayBuffer),
      };
    },
  };
}

function startWorker(control: WebMessagePort, eventPort: WebMessagePort) {
  const events = privateEndpoint(eventPort);
  const emit = (event: WorkerEvent, transfer: unknown[] = []) =>
    events.postMessage(event, transfer as never);
  const report = (api: string, target: string) => emit({ type: 'blocked', api, target });

  let network: DataNetwork | undefined;
  /**
   * Every request from model code, fetch or XHR, is answered here at once (so synchronous ones work)
   * and reported; the main thread records it from its own answer.
   */
  const answer = (req: SandboxRequest): SandboxResponse => {
    emit({ type: 'request', request: req });
    return (network ? network.answerSync(req) : refuseRequest(req, [])).response;
  };

  /** set as the first cell starts: from then on model code may have tampered with this realm */
  let modelCodeRan = false;
  /**
   * The run's data endpoint: at init, or once afterwards for a worker started before its run (until
   * then every request is refused). Never after model code ran: the endpoint (and live mode's
   * XMLHttpRequest) is built from this realm's intrinsics, which model code can replace.
   */
  const connectData = (data: DataEndpointSpec) => {
    if (network) throw new Error('the sandbox worker already has its data endpoint');
    if (modelCodeRan) throw new Error('the data endpoint is connected before model code runs');
    network = createDataNetwork(data, data.liveKey ? liveXhrTransport() : undefined);
  };

  let pyodide: PyodideAPI | undefined;
  let runKernel: ((code: string) => Promise<string>) | undefined;
  let cells: PyodideCells | undefined;
  let guards: Guards | undefined;
  let capReached = false;

  /** Model code's fetch: the same network as its XMLHttpRequest. */
  async function guardedFetch(input: unknown, init?: unknown): Promise<Response> {
    const request = new Request(input as string, init as RequestInit);
    const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
    const reply = answer({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      ...(body ? { body } : {}),
    });
    return toFetchResponse(Response, reply, request.url);
  }

  function lockPyodideApi(py: PyodideAPI, codeGeneration: WorkerConfig['codeGeneration']) {
    // Pyodide keeps the real Function constructor for its own test suite; hand it the stand-in.
    const internals = py as unknown as { _api?: { tests?: object } };
    if (codeGeneration === 'blocked' && internals._api?.tests) {
      Object.defineProperty(internals._api.tests, 'Function', {
        value: globalThis.Function,
        writable: false,
        configurable: false,
      });
    }
    const closed = (what: string) => () => {
      report(`pyodide.${what}`, '');
      return Promise.reject(
        new Error(`pyodide.${what} is closed once model code runs (the harness preloads packages)`),
      );
    };
    for (const name of ['loadPackage', 'loadPackagesFromImports', 'mountNativeFS', 'mountNodeFS']) {
      Object.defineProperty(py, name, {
        value: closed(name),
        writable: false,
        configurable: false,
      });
    }
  }

  const api: SandboxWorkerApi = {
    async init(cfg) {
      const pyCells = new PyodideCells(
        cfg,
        {
          stream: (cell, name, text) => emit({ type: 'stream', cell, name, text }),
          display: (cell, output) => emit({ type: 'display', cell, output }),
        },
        () => new TextDecoder(),
      );
      if (cfg.data) connectData(cfg.data);
      const started = performance.now();
      let last = started;
      const stageMs = {} as Record<InitStage, number>;
      const mark = (stage: InitStage) => {
        const now = performance.now();
        stageMs[stage] = Math.round(now - last);
        last = now;
        emit({ type: 'progress', stage, ms: stageMs[stage] });
      };
      capWasmMemory(cfg.wasmMemoryBytes, () => {
        capReached = true;
      });

      const mod = (await import(
        /* @vite-ignore */ `${cfg.pyodideIndexUrl}pyodide.mjs`
      )) as PyodideModule;
      const py = await mod.loadPyodide({
        indexURL: cfg.pyodideIndexUrl,
        // Fetched here, not by loadPyodide: its own fetch of the lock rejects unobserved when the index
        // is unreachable (uncaught "Failed to fetch" in the console), and names no URL.
        lockFileContents: await fetchLockFile(
          cfg.lockFileUrl ?? `${cfg.pyodideIndexUrl}pyodide-lock.json`,
          cfg.packages,
        ),
        packageBaseUrl:
          cfg.packageIndexUrl ?? `https://cdn.jsdelivr.net/pyodide/v${mod.version}/full/`,
        env: { HOME: WORK },
        stdout: () => undefined,
        stderr: () => undefined,
      });
      pyCells.attach(py);
      mark('runtime');

      py.FS.mkdirTree(WORK);
      for (const file of cfg.files) {
        const path = workPath(file.name);
        py.FS.mkdirTree(path.slice(0, path.lastIndexOf('/')));
        py.FS.writeFile(path, file.bytes);
      }
      py.FS.chdir(WORK);
      mark('filesystem');

      await loadHarnessPackages(py, cfg.packages);
      mark('packages');

      guards = installGuards({
        fetch: guardedFetch,
        XMLHttpRequest: guardedXhrClass(answer, workerUrl),
        report,
        codeGeneration: cfg.codeGeneration,
      });
      lockPyodideApi(py, cfg.codeGeneration);
      pinMessageEventAccessors();
      if (cfg.interruptBuffer) py.setInterruptBuffer(cfg.interruptBuffer);
      // Any module that bound `js.fetch`/`js.XMLHttpRequest` at import would hold an original: import
      // pyodide.http afresh now that the globals are guarded.
      py.runPython(`
import sys
for _name in [m for m in sys.modules if m == 'pyodide.http' or m.startswith('pyodide.http.')]:
    del sys.modules[_name]
import pyodide.http
del sys
`);
      mark('guards');

      runKernel = installKernel(py, pyCells.emitRich, cfg.maxReprChars);
      cells = pyCells;
      pyodide = py;
      mark('kernel');
      return { bootMs: Math.round(performance.now() - started), stageMs };
    },

    async connectData(data) {
      connectData(data);
    },

    async run(cellId, code) {
      if (!runKernel || !cells || !pyodide)
        throw new Error('the sandbox worker is not initialised');
      capReached = false;
      modelCodeRan = true;
      const end = await cells.run(cellId, code, runKernel);
      emit({ type: 'cell-end', cell: cellId });
      return {
        status: end.status,
        keyboardInterrupt: end.keyboardInterrupt,
        dropped: end.dropped,
        droppedRich: end.droppedRich,
        figures: end.figures,
        memoryExhausted: end.memoryError || capReached,
        fatal: end.fatal,
        heapBytes: end.heapBytes,
      };
    },

    async listFiles() {
      const FS = pyodide?.FS;
      if (!FS) return [];
      const files: WorkerFile[] = [];
      const walk = (dir: string, prefix: string) => {
        for (const entry of FS.readdir(dir) as string[]) {
          if (entry === '.' || entry === '..' || files.length >= 10_000) continue;
          const path = `${dir}/${entry}`;
          const st = FS.lstat(path) as { mode: number; size: number; mtime: Date | number };
          const name = prefix ? `${prefix}/${entry}` : entry;
          if (FS.isDir(st.mode)) walk(path, name);
          else if (FS.isFile(st.mode)) {
            const mtimeMs = st.mtime instanceof Date ? st.mtime.getTime() : Number(st.mtime);
            files.push({ name, size: st.size, mtimeMs });
          }
        }
      };
      walk(WORK, '');
      return files.sort((a, b) => a.name.localeCompare(b.name));
    },

    async readFile(name) {
      const FS = pyodide?.FS;
      if (!FS) throw new Error('the sandbox worker is not initialised');
      const path = workPath(name);
      const st = FS.lstat(path) as { mode: number };
      if (!FS.isFile(st.mode))
        throw new Error(`${name} is not a regular file in the run directory`);
      const bytes = FS.readFile(path) as Uint8Array;
      return Comlink.transfer(bytes, [bytes.buffer]);
    },

    async writeFile(name, bytes) {
      const FS = pyodide?.FS;
      if (!FS) throw new Error('the sandbox worker is not initialised');
      const path = workPath(name);
      FS.mkdirTree(path.slice(0, path.lastIndexOf('/')));
      FS.writeFile(path, bytes);
    },

    async audit() {
      if (!guards || !pyodide) throw new Error('the sandbox worker is not initialised');
      const { PyProxy } = pyodide.ffi;
      // PyProxies open onto the whole Python heap; the Python side holds no JS originals (see init).
      return guards.audit({ js: globalThis, pyodide_js: pyodide }, (obj) => obj instanceof PyProxy);
    },
  };

  Comlink.expose(api, privateEndpoint(control));
}

const onHandshake = (event: WebMessageEvent) => {
  const data = event.data as { type?: unknown } | null;
  const [control, events] = event.ports;
  if (data?.type !== HANDSHAKE || !control || !events) return;
  workerScope.removeEventListener('message', onHandshake);
  startWorker(control, events);
};
workerScope.addEventListener('message', onHandshake);
