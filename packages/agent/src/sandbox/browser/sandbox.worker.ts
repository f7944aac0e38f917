// The sandbox worker: all Pyodide state lives here. Staged init — runtime, filesystem (/work in MEMFS),
// packages (loaded by the harness), guards, kernel — then cells on request. The main thread reaches it
// only through two private MessagePorts received in the first message; once they arrive the worker
// stops listening on its global scope, and its own postMessage is removed, so model code has no channel.
// Model code's requests are answered here, by the run's data endpoint (see data-network.ts), and
// reported to the main thread as events for the trace.
import * as Comlink from 'comlink';
import type { PyodideAPI } from 'pyodide';
import { KERNEL_PY } from '../kernel-py.js';
import { createDataNetwork, type DataNetwork, type LiveTransport } from '../data-network.js';
import { refuseRequest, type AnsweredRequest } from '../network.js';
import { capWasmMemory } from '../node/guards.js';
import { StreamLimiter, type StreamName } from '../outputs.js';
import { guardedXhrClass } from './guarded-xhr.js';
import { installGuards, type Guards } from './guards.js';
import {
  HANDSHAKE,
  type CellSummary,
  type InitStage,
  type SandboxWorkerApi,
  type WorkerConfig,
  type WorkerEvent,
  type WorkerFile,
} from './protocol.js';
import { workerScope, type WebMessageEvent, type WebMessagePort } from './web-types.js';
import type { SandboxRequest, SandboxResponse } from '../types.js';

type PyodideModule = typeof import('pyodide');
type RichOutput = Extract<WorkerEvent, { type: 'display' }>['output'];
type Endpoint = Comlink.Endpoint;

const WORK = '/work';
// Captured now, before any model code can replace them on the global scope. The real fetch and
// XMLHttpRequest are used only in live Supabase mode, for requests the data endpoint has allowed.
const { Request, Response, TextDecoder, fetch: realFetch } = globalThis;
const RealXhr = workerScope.XMLHttpRequest;
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

function checkName(name: string): string {
  if (!name || name.startsWith('/') || name.split(/[\\/]/).includes('..')) {
    throw new Error(
      `invalid file name ${JSON.stringify(name)}: use a path relative to the run directory`,
    );
  }
  return `${WORK}/${name}`;
}

/** Live Supabase mode's way to the project: the worker's own fetch and (synchronous) XMLHttpRequest. */
const liveTransport: LiveTransport = {
  async fetch(req) {
    const response = await realFetch.call(globalThis, req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body ? { body: req.body } : {}),
      credentials: 'omit',
    });
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: new Uint8Array(await response.arrayBuffer()),
    };
  },
  fetchSync(req) {
    const xhr = new RealXhr();
    xhr.open(req.method, req.url, false);
    xhr.responseType = 'arraybuffer';
    for (const [name, value] of Object.entries(req.headers)) xhr.setRequestHeader(name, value);
    xhr.send(req.body ?? null);
    const headers: Record<string, string> = {};
    for (const line of xhr.getAllResponseHeaders().trim().split(/\r?\n/)) {
      const at = line.indexOf(':');
      if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
    }
    return { status: xhr.status, headers, body: new Uint8Array(xhr.response as ArrayBuffer) };
  },
};

function startWorker(control: WebMessagePort, eventPort: WebMessagePort) {
  const events = privateEndpoint(eventPort);
  const emit = (event: WorkerEvent, transfer: unknown[] = []) =>
    events.postMessage(event, transfer as never);
  const report = (api: string, target: string) => emit({ type: 'blocked', api, target });

  let network: DataNetwork | undefined;
  /** Every request from model code, sync or async, is answered here and reported for the trace. */
  const recorded = (answered: AnsweredRequest): SandboxResponse => {
    emit({ type: 'request', record: answered.record });
    return answered.response;
  };
  const sandboxNetwork = {
    answer: async (req: SandboxRequest) =>
      recorded(network ? await network.answer(req) : refuseRequest(req, [])),
    answerSync: (req: SandboxRequest) =>
      recorded(network ? network.answerSync(req) : refuseRequest(req, [])),
  };

  let pyodide: PyodideAPI | undefined;
  let runCell: ((code: string) => Promise<string>) | undefined;
  let guards: Guards | undefined;
  let config: WorkerConfig | undefined;
  let capReached = false;
  let cell: {
    id: number;
    limiter: StreamLimiter;
    decoders: Record<StreamName, InstanceType<typeof TextDecoder>>;
    richBytes: number;
    droppedRich: number;
    lastError: string | undefined;
  } | null = null;

  /** Model code's fetch: the same network as its XMLHttpRequest. */
  async function guardedFetch(input: unknown, init?: unknown): Promise<Response> {
    const request = new Request(input as string, init as RequestInit);
    const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
    const reply = await sandboxNetwork.answer({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      ...(body ? { body } : {}),
    });
    const status = reply.status >= 200 && reply.status <= 599 ? reply.status : 502;
    const nullBody = status === 204 || status === 205 || status === 304;
    const response = new Response(nullBody ? null : reply.body, {
      status,
      headers: reply.headers,
    });
    Object.defineProperty(response, 'url', { value: request.url });
    return response;
  }

  const streamWriter = (name: StreamName) => ({
    write(buffer: Uint8Array): number {
      if (cell) {
        const kept = cell.limiter.accept(name, buffer);
        const text = kept.length ? cell.decoders[name].decode(kept, { stream: true }) : '';
        if (text) emit({ type: 'stream', cell: cell.id, name, text });
      }
      return buffer.length;
    },
  });

  // Reachable from model code (it is the kernel's emit), so it keeps its own budget.
  const emitOutput = (json: string) => {
    if (!cell || !config) return;
    if (cell.richBytes + json.length > config.maxRichOutputBytes) {
      cell.droppedRich += 1;
      return;
    }
    cell.richBytes += json.length;
    const output = JSON.parse(json) as RichOutput;
    if (output.output_type === 'error') cell.lastError = output.ename;
    emit({ type: 'display', cell: cell.id, output });
  };

  async function loadPackages(py: PyodideAPI, packages: string[]) {
    if (packages.length === 0) return;
    const problems: string[] = [];
    await py.loadPackage(packages, {
      messageCallback: () => undefined,
      errorCallback: (message: string) => problems.push(message),
    });
    // loadPackage logs failures instead of throwing: check what really arrived.
    const missing = packages.filter((name) => !(name in py.loadedPackages));
    if (missing.length > 0) {
      throw new Error(
        `could not load Pyodide packages ${missing.join(', ')}` +
          (problems.length ? `: ${problems.join('; ')}` : ''),
      );
    }
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
      config = cfg;
      if (cfg.data)
        network = createDataNetwork(cfg.data, cfg.data.liveKey ? liveTransport : undefined);
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
        lockFileURL: cfg.lockFileUrl ?? `${cfg.pyodideIndexUrl}pyodide-lock.json`,
        packageBaseUrl:
          cfg.packageIndexUrl ?? `https://cdn.jsdelivr.net/pyodide/v${mod.version}/full/`,
        env: { HOME: WORK },
        stdout: () => undefined,
        stderr: () => undefined,
      });
      py.setStdout(streamWriter('stdout'));
      py.setStderr(streamWriter('stderr'));
      py.setStdin({ error: true });
      mark('runtime');

      py.FS.mkdirTree(WORK);
      for (const file of cfg.files) {
        const path = checkName(file.name);
        py.FS.mkdirTree(path.slice(0, path.lastIndexOf('/')));
        py.FS.writeFile(path, file.bytes);
      }
      py.FS.chdir(WORK);
      mark('filesystem');

      await loadPackages(py, cfg.packages);
      mark('packages');

      guards = installGuards({
        fetch: guardedFetch,
        XMLHttpRequest: guardedXhrClass(sandboxNetwork, workerUrl),
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

      py.globals.set('_localds_source', KERNEL_PY);
      py.globals.set('_localds_emit', emitOutput);
      py.runPython(`
import sys, types
_m = types.ModuleType('_localds_kernel')
exec(_localds_source, _m.__dict__)
sys.modules['_localds_kernel'] = _m
_m.install(_localds_emit, ${Math.floor(cfg.maxReprChars)})
del _m, _localds_source, _localds_emit, sys, types
`);
      const kernel = py.pyimport('_localds_kernel').KERNEL as {
        run: (code: string) => Promise<string>;
      };
      runCell = (code) => kernel.run(code);
      pyodide = py;
      mark('kernel');
      return { bootMs: Math.round(performance.now() - started), stageMs };
    },

    async run(cellId, code) {
      if (!runCell || !pyodide || !config) throw new Error('the sandbox worker is not initialised');
      cell = {
        id: cellId,
        limiter: new StreamLimiter(config.maxOutputBytes),
        decoders: { stdout: new TextDecoder(), stderr: new TextDecoder() },
        richBytes: 0,
        droppedRich: 0,
        lastError: undefined,
      };
      capReached = false;
      let summary = {
        status: 'error' as 'ok' | 'error',
        figures: [] as CellSummary['figures'],
        memory_error: false,
      };
      let fatal = false;
      try {
        summary = JSON.parse(await runCell(code)) as typeof summary;
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        fatal = 'pyodide_fatal_error' in error || error.message.includes('fatal error');
        emitOutput(
          JSON.stringify({
            output_type: 'error',
            ename: error.name,
            evalue: error.message,
            traceback: [`${error.name}: ${error.message}`],
          }),
        );
      }
      const current = cell;
      for (const name of ['stdout', 'stderr'] as const) {
        const rest = current.decoders[name].decode();
        if (rest) emit({ type: 'stream', cell: cellId, name, text: rest });
      }
      cell = null;
      emit({ type: 'cell-end', cell: cellId });
      return {
        status: summary.status,
        keyboardInterrupt: current.lastError === 'KeyboardInterrupt',
        dropped: { ...current.limiter.dropped },
        droppedRich: current.droppedRich,
        figures: summary.figures,
        memoryExhausted: summary.memory_error || capReached,
        fatal,
        heapBytes: (pyodide as unknown as { _module: { HEAPU8: Uint8Array } })._module.HEAPU8
          .length,
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
      const path = checkName(name);
      const st = FS.lstat(path) as { mode: number };
      if (!FS.isFile(st.mode))
        throw new Error(`${name} is not a regular file in the run directory`);
      const bytes = FS.readFile(path) as Uint8Array;
      return Comlink.transfer(bytes, [bytes.buffer]);
    },

    async writeFile(name, bytes) {
      const FS = pyodide?.FS;
      if (!FS) throw new Error('the sandbox worker is not initialised');
      const path = checkName(name);
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
