// The browser isolation level, main-thread side: a thin relay that owns the sandbox Worker (all Pyodide
// state lives in sandbox.worker.ts, which also answers model code's requests). It records those requests
// from the worker's events, enforces the per-cell timeout (KeyboardInterrupt through a SharedArrayBuffer when the page is cross-origin isolated,
// else terminate and respawn), and mirrors the run's files so they survive a restart.
import * as Comlink from 'comlink';
import {
  createDataNetwork,
  fetchTransport,
  type DataEndpointSpec,
  type DataNetwork,
} from '../network/data-network.js';
import { finishCell, settleLost, type CellSettlement } from '../kernel/cell-result.js';
import { watchCellLimits, type StopReason } from '../kernel/cell-limits.js';
import { checkRunFileName } from '../files/file-names.js';
import { Listeners } from '../kernel/listeners.js';
import {
  errorOutput,
  kernelRestartedError,
  MEMORY_EXHAUSTED,
  PYODIDE_FATAL,
  STATE_LOST_MIRRORED,
  type KernelLoss,
  kernelReady,
} from '../kernel/lost-kernel.js';
import { redactUrl, refuseRequest } from '../network/network.js';
import { blockedMessage } from './guards.js';
import { cappedFeed, OutputAssembler } from '../kernel/outputs.js';
import { RequestLog } from '../kernel/request-log.js';
import type { CellResult, FileInfo, PythonSandbox, RunOptions, SandboxRequest } from '../types.js';
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
import { SerialQueue } from '../kernel/serial-queue.js';

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
  limits: {
    wasmMemoryMb: number;
    outputLimitBytes: number;
    maxRichOutputBytes: number;
    timeoutMs: number;
  };
}

export interface BrowserSandboxOptions {
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
   * The run's data endpoint, served inside the worker (so synchronous requests work): the only URL
   * model code may reach, `<project>/rest/v1/`; everything else gets 403. Without it, nothing is reachable.
   */
  data?: DataEndpointSpec;
  /** stdout+stderr kept per cell; the rest is counted and dropped in the worker; default 1 MiB */
  outputLimitBytes?: number;
  /** rich outputs (results, figures, errors) kept per cell; default 16 MiB */
  maxRichOutputBytes?: number;
  /** longest repr/_repr_html_ kept in a result; default 100 000 characters */
  maxReprChars?: number;
  /** ceiling of Pyodide's wasm heap; default 1024 MiB */
  wasmMemoryMb?: number;
  /** default per-cell timeout; default 120 s */
  timeoutMs?: number;
  /** after a KeyboardInterrupt is requested, how long to wait before terminating; default 3 s */
  interruptGraceMs?: number;
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

/** One worker lifetime: the worker, its three private channels and its boot. */
class KernelWorker {
  readonly api: Comlink.Remote<SandboxWorkerApi>;
  readonly ready: Promise<{ bootMs: number; stageMs: Record<InitStage, number> }>;
  private readonly worker: WebWorker;
  private readonly ports: WebMessagePort[];
  private readonly listeners = new Listeners<WorkerEvent>();
  private terminated = false;

  constructor(createWorker: () => WebWorker, config: WorkerConfig) {
    this.worker = createWorker();
    const control = new mainScope.MessageChannel();
    const events = new mainScope.MessageChannel();
    this.ports = [control.port1, events.port1];
    // Main never listens on the Worker itself: the worker's only channels are these ports.
    this.worker.postMessage({ type: HANDSHAKE }, [control.port2, events.port2]);
    this.api = Comlink.wrap<SandboxWorkerApi>(control.port1 as unknown as Comlink.Endpoint);
    events.port1.addEventListener('message', (event) => {
      // The worker runs model code: anything that is not a well-formed event is dropped.
      const parsed = workerEventSchema.safeParse(event.data);
      if (!parsed.success) return;
      this.listeners.emit(parsed.data);
    });
    events.port1.start();
    // A worker script that fails to load never answers init; its error event is the only sign.
    const loadFailed = new Promise<never>((_, reject) => {
      this.worker.addEventListener('error', (event) => {
        const message = (event as { message?: unknown } | null)?.message;
        reject(new Error(typeof message === 'string' && message ? message : 'script error'));
      });
    });
    this.ready = Promise.race([this.api.init(config), loadFailed]).then(
      (booted) => booted,
      (err: unknown) => {
        const { name, message } = describe(err);
        throw new Error(`the Python sandbox worker failed to start: ${name}: ${message}`);
      },
    );
    this.ready.catch(() => undefined);
  }

  subscribe(listener: (event: WorkerEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.worker.terminate();
    for (const port of this.ports) port.close();
    this.listeners.clear();
  }
}

type Outcome =
  | { kind: 'result'; summary: CellSummary }
  | { kind: 'failed'; error: { name: string; message: string } }
  | { kind: 'timeout' }
  | { kind: 'interrupted' }
  | { kind: 'flood' };

/**
 * A cell the worker finished. `interrupted` says why the harness raised KeyboardInterrupt, if it did:
 * a cell that stopped for it keeps its state.
 */
function settleResult(
  summary: CellSummary,
  assembler: OutputAssembler,
  limits: { interrupted: StopReason | undefined; timeoutMs: number; wasmMemoryMb: number },
): CellSettlement {
  const { interrupted, timeoutMs, wasmMemoryMb } = limits;
  const status = interrupted && summary.keyboardInterrupt ? 'interrupted' : summary.status;
  assembler.markTruncated(summary.dropped);
  assembler.markDroppedRich(summary.droppedRich);
  if (status === 'interrupted') {
    const why =
      interrupted === 'timeout'
        ? `the cell ran longer than ${timeoutMs} ms`
        : 'the cell was interrupted';
    assembler.add(
      errorOutput(
        'KeyboardInterrupt',
        `${why} and was stopped with KeyboardInterrupt; variables and imports are kept`,
      ),
    );
  }
  const heapCap = wasmMemoryMb * 1024 * 1024;
  const stateLost = summary.memoryExhausted || summary.fatal || summary.heapBytes >= heapCap;
  if (stateLost) {
    const why = summary.fatal
      ? PYODIDE_FATAL
      : `${MEMORY_EXHAUSTED} (${wasmMemoryMb} MiB of wasm memory)`;
    assembler.add(kernelRestartedError(why, STATE_LOST_MIRRORED));
  }
  return { status, stateLost, figures: summary.figures };
}

/** How the worker was lost, in the words every level uses. */
function workerLoss(outcome: Exclude<Outcome, { kind: 'result' }>, timeoutMs: number): KernelLoss {
  // 'failed': the worker's run() itself threw (not the cell's Python): it cannot be trusted further.
  if (outcome.kind === 'failed') {
    return { kind: 'crashed', reason: `${outcome.error.name}: ${outcome.error.message}` };
  }
  return outcome.kind === 'timeout' ? { kind: 'timeout', timeoutMs } : { kind: outcome.kind };
}

interface MirroredFile {
  bytes: Uint8Array;
  size: number;
  mtimeMs: number;
}

export class BrowserWorkerSandbox implements PythonSandbox {
  readonly isolation = 'browser-worker' as const;
  /** how a cell that runs too long is stopped: KeyboardInterrupt (state kept) or a fresh worker */
  readonly interruptMode: 'interrupt-buffer' | 'terminate';
  /** boot time of each worker started so far (first = cold start), in ms */
  readonly bootTimesMs: number[] = [];
  private kernel: KernelWorker;
  private readonly interruptBuffer: Int32Array | undefined;
  private readonly files = new Map<string, MirroredFile>();
  private readonly requests = new RequestLog();
  /** this side's copy of the run's data endpoint, which the trace's records come from */
  private readonly network: DataNetwork | undefined;
  private readonly queue = new SerialQueue();
  private seq = 0;
  private disposed = false;
  /** resolves on dispose(), so a cell in flight ends at once instead of at its timeout */
  private readonly disposal: Promise<Outcome>;
  private onDispose: () => void = () => undefined;
  private readonly opts: Required<
    Omit<
      BrowserSandboxOptions,
      'data' | 'packageIndexUrl' | 'lockFileUrl' | 'onProgress' | 'createWorker'
    >
  > &
    BrowserSandboxOptions;

  constructor(options: BrowserSandboxOptions) {
    const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
    this.opts = {
      ...options,
      pyodideIndexUrl: withSlash(options.pyodideIndexUrl),
      packageIndexUrl: options.packageIndexUrl ? withSlash(options.packageIndexUrl) : undefined,
      packages: options.packages ?? [],
      outputLimitBytes: options.outputLimitBytes ?? 1024 * 1024,
      maxRichOutputBytes: options.maxRichOutputBytes ?? 16 * 1024 * 1024,
      maxReprChars: options.maxReprChars ?? 100_000,
      wasmMemoryMb: options.wasmMemoryMb ?? 1024,
      timeoutMs: options.timeoutMs ?? 120_000,
      interruptGraceMs: options.interruptGraceMs ?? 3000,
      codeGeneration: options.codeGeneration ?? 'blocked',
    };
    this.network = options.data
      ? createDataNetwork(options.data, fetchTransport(globalThis.fetch.bind(globalThis)))
      : undefined;
    const isolated =
      mainScope.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
    this.interruptBuffer = isolated ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
    this.interruptMode = isolated ? 'interrupt-buffer' : 'terminate';
    this.disposal = new Promise((resolve) => {
      this.onDispose = () =>
        resolve({
          kind: 'failed',
          error: { name: 'Disposed', message: 'the sandbox was disposed during the cell' },
        });
    });
    this.kernel = this.spawn();
  }

  get ready(): Promise<void> {
    return this.kernel.ready.then(() => undefined);
  }

  private spawn(): KernelWorker {
    // A request to interrupt the previous worker must not reach the new one while it boots.
    if (this.interruptBuffer) Atomics.store(this.interruptBuffer, 0, 0);
    const config: WorkerConfig = {
      pyodideIndexUrl: this.opts.pyodideIndexUrl,
      packageIndexUrl: this.opts.packageIndexUrl,
      lockFileUrl:
        this.opts.lockFileUrl ??
        (this.opts.packageIndexUrl ? `${this.opts.packageIndexUrl}pyodide-lock.json` : undefined),
      packages: this.opts.packages,
      ...(this.opts.data ? { data: this.opts.data } : {}),
      files: [...this.files].map(([name, file]) => ({ name, bytes: file.bytes.slice() })),
      maxOutputBytes: this.opts.outputLimitBytes,
      maxRichOutputBytes: this.opts.maxRichOutputBytes,
      maxReprChars: this.opts.maxReprChars,
      wasmMemoryBytes: this.opts.wasmMemoryMb * 1024 * 1024,
      interruptBuffer: this.interruptBuffer,
      codeGeneration: this.opts.codeGeneration,
    };
    const kernel = new KernelWorker(this.opts.createWorker ?? defaultWorker, config);
    // Stages are reported once each, in order: from the events port as they happen, and any that
    // event has not delivered yet when init returns (the ports do not order between each other).
    const reported = new Set<InitStage>();
    const report = (stage: InitStage, ms: number) => {
      if (reported.has(stage)) return;
      reported.add(stage);
      this.opts.onProgress?.({ stage, ms });
    };
    kernel.subscribe((event) => {
      if (event.type === 'progress') report(event.stage, event.ms);
      else if (event.type === 'request') this.record(event.request);
      else if (event.type === 'blocked') {
        this.requests.add({
          method: event.api,
          url: redactUrl(event.target),
          status: 403,
          allowed: false,
          durationMs: 0,
          error: `${event.api} is blocked in the browser sandbox`,
          // What model code was told when it touched the route (the worker threw exactly this).
          blocked: blockedMessage(event.api),
        });
      }
    });
    kernel.ready
      .then(({ bootMs, stageMs }) => {
        for (const stage of INIT_STAGES) report(stage, stageMs[stage]);
        this.bootTimesMs.push(bootMs);
      })
      .catch(() => undefined);
    return kernel;
  }

  /**
   * Records a request model code made, from this side's own answer to it (the worker's ran beside model
   * code): the allow-list, the snapshot's rows, and in live mode a fetch of its own and the drift.
   */
  private record(request: SandboxRequest): void {
    if (!this.network) this.requests.add(refuseRequest(request, []).record);
    else this.requests.track(this.network.answer(request).then((answered) => answered.record()));
  }

  private async respawn(): Promise<void> {
    this.kernel.terminate();
    this.kernel = this.spawn();
  }

  /** Cells run one at a time, in call order. */
  run(code: string, opts: RunOptions = {}): Promise<CellResult> {
    return this.queue.push(() => this.runNow(code, opts));
  }

  private async runNow(code: string, opts: RunOptions): Promise<CellResult> {
    if (this.disposed) throw new Error('the sandbox has been disposed');
    await kernelReady(this.ready);
    const kernel = this.kernel;
    const id = ++this.seq;
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs;
    const assembler = new OutputAssembler();
    if (this.interruptBuffer) Atomics.store(this.interruptBuffer, 0, 0);
    const started = performance.now();
    // Backstop against a worker that bypasses its own budgets: main never holds more than this.
    const feed = cappedFeed(
      assembler,
      2 * (this.opts.outputLimitBytes + this.opts.maxRichOutputBytes),
    );

    const cleanups: (() => void)[] = [];
    let flood: (() => void) | undefined;
    let ended: (() => void) | undefined;
    const outputsEnded = new Promise<void>((resolve) => {
      ended = resolve;
    });
    const floodOutcome = new Promise<Outcome>((resolve) => {
      flood = () => resolve({ kind: 'flood' });
    });
    cleanups.push(
      kernel.subscribe((event) => {
        if (!('cell' in event) || event.cell !== id) return;
        if (event.type === 'cell-end') return ended?.();
        if (!feed(event)) flood?.();
      }),
    );
    const cellDone: Promise<Outcome> = kernel.api.run(id, code).then(
      (raw) => {
        const parsed = cellSummarySchema.safeParse(raw);
        return parsed.success
          ? { kind: 'result', summary: parsed.data }
          : { kind: 'failed', error: { name: 'ProtocolError', message: 'malformed cell result' } };
      },
      (err: unknown) => ({ kind: 'failed', error: describe(err) }),
    );
    const stopped = new Promise<Outcome>((resolve) => {
      cleanups.push(watchCellLimits(timeoutMs, opts.signal, (why) => resolve({ kind: why })));
    });
    let outcome = await Promise.race([cellDone, stopped, floodOutcome, this.disposal]);
    let interrupted: StopReason | undefined;
    if ((outcome.kind === 'timeout' || outcome.kind === 'interrupted') && this.interruptBuffer) {
      // Ask Python for a KeyboardInterrupt; a cell stuck outside Python (or one that disabled the
      // buffer) does not answer within the grace period and falls through to a terminate.
      interrupted = outcome.kind;
      Atomics.store(this.interruptBuffer, 0, 2);
      const grace = new Promise<Outcome>((resolve) => {
        const timer = setTimeout(() => resolve(outcome), this.opts.interruptGraceMs);
        cleanups.push(() => clearTimeout(timer));
      });
      outcome = await Promise.race([cellDone, grace, floodOutcome, this.disposal]);
    }
    if (outcome.kind === 'result') {
      // The result came over the control port; the cell's last outputs may still be on the events port.
      await Promise.race([outputsEnded, new Promise((resolve) => setTimeout(resolve, 2000))]);
    }
    for (const cleanup of cleanups) cleanup();

    // A live request's record waits on this side's own fetch of the project.
    await this.requests.settled(10_000);
    const settled =
      outcome.kind === 'result'
        ? settleResult(outcome.summary, assembler, {
            interrupted,
            timeoutMs,
            wasmMemoryMb: this.opts.wasmMemoryMb,
          })
        : settleLost(assembler, workerLoss(outcome, timeoutMs), STATE_LOST_MIRRORED);
    return finishCell(
      { ...settled, outputs: assembler.outputs(), started },
      {
        replaceKernel: () => (this.disposed ? Promise.resolve() : this.respawn()),
        requests: this.requests,
        // A lost worker's files are not copied: the next one starts from the last good mirror.
        filesWritten: () =>
          settled.stateLost ? Promise.resolve([]) : this.syncFiles().catch(() => []),
      },
    );
  }

  /** Copies new and changed files out of the worker (so a restart can restore them); returns them. */
  private async syncFiles(): Promise<{ name: string; size: number }[]> {
    const listing = workerFilesSchema.parse(await this.kernel.api.listFiles());
    const present = new Set(listing.map((f) => f.name));
    for (const name of [...this.files.keys()]) if (!present.has(name)) this.files.delete(name);
    const changed: { name: string; size: number }[] = [];
    for (const file of listing) {
      const known = this.files.get(file.name);
      if (known && known.size === file.size && known.mtimeMs === file.mtimeMs) continue;
      const bytes = await this.kernel.api.readFile(file.name);
      if (!(bytes instanceof Uint8Array)) continue;
      this.files.set(file.name, { bytes, size: bytes.length, mtimeMs: file.mtimeMs });
      changed.push({ name: file.name, size: bytes.length });
    }
    return changed;
  }

  async listFiles(): Promise<FileInfo[]> {
    return [...this.files]
      .map(([name, file]) => ({ name, size: file.size, mtimeMs: file.mtimeMs }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async readFile(name: string): Promise<Uint8Array> {
    checkRunFileName(name);
    const file = this.files.get(name);
    if (!file) throw new Error(`${name} is not a file in the run directory`);
    return file.bytes.slice();
  }

  async writeFile(name: string, bytes: Uint8Array): Promise<void> {
    checkRunFileName(name);
    await this.ready;
    await this.kernel.api.writeFile(name, bytes.slice());
    await this.syncFiles();
  }

  /** Lists any path from model code's reach (`js`, `pyodide_js`) to an original the guards replaced. */
  /** What this level established about its walls, for run.json (see CreatedSandbox.isolationReport). */
  isolationReport(): BrowserIsolationReport {
    const { wasmMemoryMb, outputLimitBytes, maxRichOutputBytes, timeoutMs } = this.opts;
    return {
      level: this.isolation,
      crossOriginIsolated: this.interruptMode === 'interrupt-buffer',
      runawayCell: this.interruptMode === 'interrupt-buffer' ? 'keyboard-interrupt' : 'new-worker',
      codeFromStrings: this.opts.codeGeneration === 'allowed',
      data: !this.opts.data ? 'none' : this.opts.data.liveKey ? 'live-project' : 'snapshot',
      limits: { wasmMemoryMb, outputLimitBytes, maxRichOutputBytes, timeoutMs },
    };
  }

  async audit(): Promise<{ visited: number; leaks: string[] }> {
    await this.ready;
    return this.kernel.api.audit();
  }

  async restart(): Promise<void> {
    await this.respawn();
    await this.ready;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.onDispose();
    this.kernel.terminate();
  }
}

export function createBrowserSandbox(options: BrowserSandboxOptions): BrowserWorkerSandbox {
  return new BrowserWorkerSandbox(options);
}
