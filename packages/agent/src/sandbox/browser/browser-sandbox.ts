// The browser isolation level, main-thread side: a thin relay that owns the sandbox Worker (all Pyodide
// state lives in sandbox.worker.ts, which also answers model code's requests). The cell lifecycle is the
// shared KernelSandbox's; this file starts the worker over its two private ports, turns its events
// into the kernel's, interrupts through a SharedArrayBuffer when the page is cross-origin isolated (else
// the kernel replaces the worker), records requests from this side's own copy of the data endpoint,
// and mirrors the run's files so they survive a restart.
import * as Comlink from 'comlink';
import { checkRunFileName } from '../files/file-names.js';
import { KernelSandbox, type SandboxFiles } from '../kernel/kernel-sandbox.js';
import { Listeners } from '../kernel/listeners.js';
import {
  MEMORY_EXHAUSTED,
  PYODIDE_FATAL,
  STATE_LOST_MIRRORED,
  type KernelLoss,
} from '../kernel/lost-kernel.js';
import { reportedLimits, resolveSandboxOptions, type SandboxOptions } from '../kernel/options.js';
import { endEvent, type KernelTransport, type TransportEvent } from '../kernel/transport.js';
import {
  createDataNetwork,
  fetchTransport,
  type DataEndpointSpec,
} from '../network/data-network.js';
import { redactUrl } from '../network/network.js';
import type { FileInfo } from '../types.js';
import { blockedMessage } from './guards.js';
import {
  cellSummarySchema,
  HANDSHAKE,
  INIT_STAGES,
  workerEventSchema,
  workerFilesSchema,
  type CellSummary,
  type InitStage,
  type SandboxWorkerApi,
  type WorkerConfig,
  type WorkerEvent,
} from './protocol.js';
import { mainScope, type WebMessagePort, type WebWorker } from './web-types.js';

// The one Web API constructor used here; declared locally so bundlers still see `new Worker(new URL(…))`.
declare const Worker: new (url: URL, options: { type: 'module'; name?: string }) => WebWorker;

export interface BrowserIsolationReport {
  level: 'browser-worker';
  /** the page could share memory with the worker (COOP/COEP) */
  crossOriginIsolated: boolean;
  /** how a cell past its time limit is stopped: in place (state kept) or with a fresh worker */
  runawayCell: 'keyboard-interrupt' | 'new-worker';
  /** eval/Function/string timers left in place (testing only) */
  codeFromStrings: boolean;
  /** what answers model code's data requests, inside the worker */
  data: 'snapshot' | 'live-project' | 'none';
  /** memoryLimitMB: the wasm heap's ceiling */
  limits: ReturnType<typeof reportedLimits>;
}

export interface BrowserSandboxOptions extends SandboxOptions {
  /** URL of the folder serving pyodide.mjs, pyodide.asm.wasm, python_stdlib.zip (the page's own build) */
  pyodideIndexUrl: string;
  /** folder serving Pyodide package files; default: Pyodide's CDN for the loaded version */
  packageIndexUrl?: string;
  /** pyodide-lock.json to resolve packages with; default: `${packageIndexUrl}pyodide-lock.json` when a
   * packageIndexUrl is given, else the core's lock next to pyodide.mjs */
  lockFileUrl?: string;
  /** Pyodide packages the harness loads before model code runs */
  packages?: string[];
  /**
   * The run's data endpoint, as its spec: shorthand for `network: createDataNetwork(data, fetchTransport(fetch))`.
   * The worker serves it itself (so synchronous requests work): the only URL model code may reach,
   * `<project>/rest/v1/`; everything else gets 403. Without a network, nothing is reachable (until
   * `connectData` gives it one, for a sandbox started before its run).
   */
  data?: DataEndpointSpec;
  /** called as each init stage of each worker completes */
  onProgress?: (progress: { stage: InitStage; ms: number }) => void;
  /** how to start the worker; default `new Worker(new URL('./sandbox.worker.js', import.meta.url))` */
  createWorker?: () => WebWorker;
  /**
   * Testing only: 'allowed' leaves eval/Function/string timers in place, to show the second wall (locked
   * globals) holds when model code can run arbitrary JS. Default 'blocked'.
   */
  codeGeneration?: 'blocked' | 'allowed';
}

/** The wasm heap's default ceiling in a browser worker. */
const WASM_MEMORY_MB = 1024;

/** `{name, message}` of whatever crossed the worker boundary, never a bare toString(). */
function describe(err: unknown): { name: string; message: string } {
  if (err && typeof err === 'object' && 'message' in err) {
    const name = 'name' in err && typeof err.name === 'string' ? err.name : 'Error';
    return { name, message: String(err.message) };
  }
  return { name: 'Error', message: String(err) };
}

function defaultWorker(): WebWorker {
  return new Worker(new URL('./sandbox.worker.js', import.meta.url), {
    type: 'module',
    name: 'localds-sandbox',
  });
}

/** The run's data endpoint as the main side's network: its own copy, which records every request. */
function dataNetworkOf(spec: DataEndpointSpec) {
  return createDataNetwork(spec, fetchTransport(globalThis.fetch.bind(globalThis)));
}

/** What the transport needs besides the worker's config. */
interface WorkerTransportOptions {
  createWorker: () => WebWorker;
  config: WorkerConfig;
  onProgress: (stage: InitStage, ms: number) => void;
  /** wasm heap ceiling: a cell that reached it leaves the worker spent */
  wasmMemoryMb: number;
}

/** The kernel's 'end' event for cell `cell` from the worker's summary. */
function cellEndEvent(cell: number, summary: CellSummary, wasmMemoryMb: number): TransportEvent {
  const heapCap = wasmMemoryMb * 1024 * 1024;
  const spent = summary.fatal
    ? PYODIDE_FATAL
    : summary.memoryExhausted || summary.heapBytes >= heapCap
      ? `${MEMORY_EXHAUSTED} (${wasmMemoryMb} MiB of wasm memory)`
      : undefined;
  // The wasm heap never shrinks: its size when the cell ends is its peak.
  return endEvent(
    { id: cell, ...summary, peakMemoryBytes: summary.heapBytes },
    { keyboardInterrupt: summary.keyboardInterrupt, spent },
  );
}

/** One worker lifetime: the worker, its two private channels and its boot. */
class WorkerTransport implements KernelTransport {
  readonly api: Comlink.Remote<SandboxWorkerApi>;
  readonly ready: Promise<number>;
  readonly interrupt: ((cell: number) => void) | undefined;
  /** booted with the run's data endpoint (else it refuses every request until connected) */
  readonly hasData: boolean;
  private readonly worker: WebWorker;
  private readonly ports: WebMessagePort[];
  private readonly workerEvents = new Listeners<WorkerEvent>();
  private readonly events = new Listeners<TransportEvent>();
  private terminated = false;

  constructor(private readonly opts: WorkerTransportOptions) {
    const { config } = opts;
    this.hasData = config.data !== undefined;
    const buffer = config.interruptBuffer;
    // A request to interrupt the previous worker must not reach the new one while it boots.
    if (buffer) Atomics.store(buffer, 0, 0);
    this.interrupt = buffer ? () => Atomics.store(buffer, 0, 2) : undefined;
    this.worker = opts.createWorker();
    const control = new mainScope.MessageChannel();
    const events = new mainScope.MessageChannel();
    this.ports = [control.port1, events.port1];
    // Main never listens on the Worker itself: the worker's only channels are these ports.
    this.worker.postMessage({ type: HANDSHAKE }, [control.port2, events.port2]);
    this.api = Comlink.wrap<SandboxWorkerApi>(control.port1 as unknown as Comlink.Endpoint);
    events.port1.addEventListener('message', (event) => {
      // The worker runs model code: anything that is not a well-formed event is dropped.
      const parsed = workerEventSchema.safeParse(event.data);
      if (parsed.success) this.dispatch(parsed.data);
    });
    events.port1.start();
    // Stages are reported once each, in order: from the events port as they happen, and any that
    // event has not delivered yet when init returns (the ports do not order between each other).
    const reported = new Set<InitStage>();
    const report = (stage: InitStage, ms: number) => {
      if (reported.has(stage)) return;
      reported.add(stage);
      opts.onProgress(stage, ms);
    };
    this.workerEvents.add((event) => {
      if (event.type === 'progress') report(event.stage, event.ms);
    });
    // A worker script that fails to load never answers init; its error event is the only sign.
    const loadFailed = new Promise<never>((_, reject) => {
      this.worker.addEventListener('error', (event) => {
        const message = (event as { message?: unknown } | null)?.message;
        reject(new Error(typeof message === 'string' && message ? message : 'script error'));
      });
    });
    this.ready = Promise.race([this.api.init(config), loadFailed]).then(
      ({ bootMs, stageMs }) => {
        for (const stage of INIT_STAGES) report(stage, stageMs[stage]);
        return bootMs;
      },
      (err: unknown) => {
        const { name, message } = describe(err);
        throw new Error(`the Python sandbox worker failed to start: ${name}: ${message}`);
      },
    );
    this.ready.catch(() => undefined);
  }

  private dispatch(event: WorkerEvent): void {
    this.workerEvents.emit(event);
    if (event.type === 'stream' || event.type === 'display') {
      this.events.emit({ type: 'output', cell: event.cell, output: event });
    } else if (event.type === 'request') {
      // The worker answered it beside model code; the harness records it from its own answer.
      this.events.emit({ type: 'fetch', request: event.request });
    } else if (event.type === 'blocked') {
      this.events.emit({
        type: 'refused',
        record: {
          method: event.api,
          url: redactUrl(event.target),
          status: 403,
          allowed: false,
          durationMs: 0,
          error: `${event.api} is blocked in the browser sandbox`,
          // What model code was told when it touched the route (the worker threw exactly this).
          blocked: blockedMessage(event.api),
        },
      });
    }
  }

  subscribe(listener: (event: TransportEvent) => void): () => void {
    return this.events.add(listener);
  }

  /** A worker does not die on its own: a stuck one is stopped by the time limit. */
  onDeath(_listener: (loss: KernelLoss) => void): () => void {
    return () => undefined;
  }

  run(cell: number, code: string): void {
    if (this.opts.config.interruptBuffer) Atomics.store(this.opts.config.interruptBuffer, 0, 0);
    // The result comes over the control port; the cell's last outputs may still be on the events port,
    // which says so with `cell-end`.
    const outputsEnded = new Promise<void>((resolve) => {
      const off = this.workerEvents.add((event) => {
        if (event.type === 'cell-end' && event.cell === cell) {
          off();
          resolve();
        }
      });
    });
    const lost = (loss: KernelLoss) => this.events.emit({ type: 'lost', loss });
    this.api.run(cell, code).then(
      async (raw) => {
        const parsed = cellSummarySchema.safeParse(raw);
        if (!parsed.success)
          return lost({ kind: 'crashed', reason: 'ProtocolError: malformed cell result' });
        await Promise.race([outputsEnded, new Promise((resolve) => setTimeout(resolve, 2000))]);
        this.events.emit(cellEndEvent(cell, parsed.data, this.opts.wasmMemoryMb));
      },
      // The worker's run() itself threw (not the cell's Python): it cannot be trusted further.
      (err: unknown) => {
        const { name, message } = describe(err);
        lost({ kind: 'crashed', reason: `${name}: ${message}` });
      },
    );
  }

  kill(): Promise<void> {
    if (!this.terminated) {
      this.terminated = true;
      this.worker.terminate();
      for (const port of this.ports) port.close();
      this.workerEvents.clear();
      this.events.clear();
    }
    return Promise.resolve();
  }
}

interface MirroredFile {
  bytes: Uint8Array;
  size: number;
  mtimeMs: number;
}

/** The run's files, mirrored out of the worker after each cell so a new worker starts with them. */
class MirroredFiles implements SandboxFiles<void> {
  readonly files = new Map<string, MirroredFile>();

  constructor(private readonly worker: () => Promise<WorkerTransport>) {}

  async list(): Promise<FileInfo[]> {
    return [...this.files]
      .map(([name, file]) => ({ name, size: file.size, mtimeMs: file.mtimeMs }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async read(name: string): Promise<Uint8Array> {
    checkRunFileName(name);
    const file = this.files.get(name);
    if (!file) throw new Error(`${name} is not a file in the run directory`);
    return file.bytes.slice();
  }

  async write(name: string, bytes: Uint8Array): Promise<void> {
    checkRunFileName(name);
    const worker = await this.worker();
    await worker.api.writeFile(name, bytes.slice());
    await this.sync();
  }

  async mark(): Promise<void> {}

  /** A lost worker's files are not copied: the next one starts from the last good mirror. */
  changedSince(_mark: void, stateLost: boolean): Promise<{ name: string; size: number }[]> {
    return stateLost ? Promise.resolve([]) : this.sync().catch(() => []);
  }

  /** Copies new and changed files out of the worker (so a restart can restore them); returns them. */
  private async sync(): Promise<{ name: string; size: number }[]> {
    const { api } = await this.worker();
    const listing = workerFilesSchema.parse(await api.listFiles());
    const present = new Set(listing.map((f) => f.name));
    for (const name of [...this.files.keys()]) if (!present.has(name)) this.files.delete(name);
    const changed: { name: string; size: number }[] = [];
    for (const file of listing) {
      const known = this.files.get(file.name);
      if (known && known.size === file.size && known.mtimeMs === file.mtimeMs) continue;
      const bytes = await api.readFile(file.name);
      if (!(bytes instanceof Uint8Array)) continue;
      this.files.set(file.name, { bytes, size: bytes.length, mtimeMs: file.mtimeMs });
      changed.push({ name: file.name, size: bytes.length });
    }
    return changed;
  }
}

export class BrowserWorkerSandbox extends KernelSandbox<WorkerTransport> {
  readonly isolation = 'browser-worker' as const;
  /** how a cell that runs too long is stopped: KeyboardInterrupt (state kept) or a fresh worker */
  readonly interruptMode: 'interrupt-buffer' | 'terminate';
  private readonly interruptBuffer: Int32Array | undefined;
  private readonly mirror: MirroredFiles;
  private spec: DataEndpointSpec | undefined;
  private readonly options: BrowserSandboxOptions;

  constructor(options: BrowserSandboxOptions) {
    const network = options.network ?? (options.data ? dataNetworkOf(options.data) : undefined);
    if (network && !network.spec) {
      throw new Error(
        'the browser sandbox answers model code inside its worker: its network must be the run data endpoint (createDataNetwork)',
      );
    }
    const mirror = new MirroredFiles(async () => {
      await this.ready;
      return this.kernel;
    });
    super(resolveSandboxOptions({ ...options, network }, WASM_MEMORY_MB), mirror, {
      stateLost: STATE_LOST_MIRRORED,
      stoppedCell: 'interrupted',
    });
    this.mirror = mirror;
    this.spec = network?.spec;
    const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
    this.options = {
      ...options,
      pyodideIndexUrl: withSlash(options.pyodideIndexUrl),
      packageIndexUrl: options.packageIndexUrl ? withSlash(options.packageIndexUrl) : undefined,
    };
    const isolated =
      mainScope.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
    this.interruptBuffer = isolated ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
    this.interruptMode = isolated ? 'interrupt-buffer' : 'terminate';
    this.start();
  }

  /**
   * The run's data endpoint, for a sandbox started without one (so that Pyodide boots while the user
   * is still choosing): once, before any cell, by the harness (model code never reaches this side).
   * Until it resolves the worker refuses every request; every worker started later gets it at boot.
   */
  async connectData(spec: DataEndpointSpec): Promise<void> {
    const connected = this.connectNetwork(dataNetworkOf(spec), (kernel) =>
      kernel.hasData ? Promise.resolve() : kernel.api.connectData(spec),
    );
    // Past the refusals (thrown above): workers started from now on boot with it.
    this.spec = spec;
    await connected;
  }

  protected spawnKernel(): WorkerTransport {
    const { pyodideIndexUrl, packageIndexUrl, lockFileUrl } = this.options;
    const config: WorkerConfig = {
      pyodideIndexUrl,
      packageIndexUrl,
      lockFileUrl:
        lockFileUrl ?? (packageIndexUrl ? `${packageIndexUrl}pyodide-lock.json` : undefined),
      packages: this.options.packages ?? [],
      ...(this.spec ? { data: this.spec } : {}),
      files: [...this.mirror.files].map(([name, file]) => ({ name, bytes: file.bytes.slice() })),
      maxOutputBytes: this.opts.maxOutputBytes,
      maxRichOutputBytes: this.opts.maxRichOutputBytes,
      maxReprChars: this.opts.maxReprChars,
      wasmMemoryBytes: this.opts.memoryLimitMB * 1024 * 1024,
      interruptBuffer: this.interruptBuffer,
      codeGeneration: this.options.codeGeneration ?? 'blocked',
    };
    return new WorkerTransport({
      createWorker: this.options.createWorker ?? defaultWorker,
      config,
      onProgress: (stage, ms) => this.options.onProgress?.({ stage, ms }),
      wasmMemoryMb: this.opts.memoryLimitMB,
    });
  }

  /** What this level established about its walls, for run.json (see CreatedSandbox.isolationReport). */
  isolationReport(): BrowserIsolationReport {
    return {
      level: this.isolation,
      crossOriginIsolated: this.interruptMode === 'interrupt-buffer',
      runawayCell: this.interruptMode === 'interrupt-buffer' ? 'keyboard-interrupt' : 'new-worker',
      codeFromStrings: this.options.codeGeneration === 'allowed',
      data: !this.spec ? 'none' : this.spec.liveKey ? 'live-project' : 'snapshot',
      limits: reportedLimits(this.opts),
    };
  }

  /** Lists any path from model code's reach (`js`, `pyodide_js`) to an original the guards replaced. */
  async audit(): Promise<{ visited: number; leaks: string[] }> {
    await this.ready;
    return this.kernel.api.audit();
  }
}

export function createBrowserSandbox(options: BrowserSandboxOptions): BrowserWorkerSandbox {
  return new BrowserWorkerSandbox(options);
}
