// The Node isolation level: Pyodide in a child process under Node's permission model, in its own network
// namespace where the machine allows it. This side owns the child: it answers model code's requests,
// enforces the per-cell timeout by killing and respawning the child, and tracks the run's files.
import { existsSync, realpathSync } from 'node:fs';
import { makeOwnedTempDir, removeOwnedTempDir } from '../files/owned-temp-dir.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { finishCell, settleLost, type CellSettlement } from '../kernel/cell-result.js';
import { watchCellLimits } from '../kernel/cell-limits.js';
import {
  errorOutput,
  kernelRestartedError,
  MEMORY_EXHAUSTED,
  processDied,
  PYODIDE_FATAL,
  STATE_LOST,
  type KernelLoss,
  kernelReady,
} from '../kernel/lost-kernel.js';
import { cappedFeed, OutputAssembler } from '../kernel/outputs.js';
import { RequestLog } from '../kernel/request-log.js';
import { RunDir } from '../files/run-dir.js';
import type { CellResult, FetchHandler, FileInfo, PythonSandbox, RunOptions } from '../types.js';
import { KernelProcess, type KernelExit } from './kernel-process.js';
import type { ChildConfig, ChildMessage } from './protocol.js';
import type { Walls } from './walls.js';
import { SerialQueue } from '../kernel/serial-queue.js';

export interface NodeSandboxOptions {
  /** the run's working directory (model code sees it as /work); default: a fresh temp dir, removed on dispose */
  runDir?: string;
  /** answers model code's allowed requests (e.g. the embedded data endpoint) */
  fetchHandler?: FetchHandler;
  /** URL prefixes model code may request (the run's data URL); everything else gets 403 */
  allowedUrlPrefixes?: string[];
  /** Pyodide packages preloaded from `packageDir` before model code runs */
  packages?: string[];
  /** folder with pyodide-lock.json and package files; default: the pyodide npm package's folder */
  packageDir?: string;
  /** default per-cell timeout; default 120 s */
  timeoutMs?: number;
  /** stdout+stderr kept per cell; the rest is counted and dropped in the child; default 1 MiB */
  maxOutputBytes?: number;
  /** rich outputs (results, figures, errors) kept per cell; default 16 MiB */
  maxRichOutputBytes?: number;
  /** longest repr/_repr_html_ kept in a result; default 100 000 characters */
  maxReprChars?: number;
  /** ceiling of Pyodide's wasm heap; default 2048 MiB */
  wasmMemoryMb?: number;
  /** ceiling of the child's JS heap (--max-old-space-size); default 512 MiB */
  jsHeapMb?: number;
  /** 'auto': own network namespace when possible; 'require': fail without one; 'off': never */
  networkIsolation?: 'auto' | 'require' | 'off';
  /**
   * Keep a second child booted in the background so a restart (timeout, crash, restart()) swaps it in
   * at once instead of waiting a full Pyodide boot; costs one more idle process. Default false.
   */
  spareKernel?: boolean;
}

/** What run.json records about the walls a Node sandbox ran inside. */
export interface NodeIsolationReport extends Walls {
  level: 'node-pyodide';
  /** Node's permission model: what the child may touch; child processes, workers, addons and WASI are denied */
  permissionModel: { read: string[]; write: string[] };
  /** eval/new Function are disabled in the child (--disallow-code-generation-from-strings) */
  codeFromStrings: false;
  limits: {
    wasmMemoryMb: number;
    jsHeapMb: number;
    maxOutputBytes: number;
    maxRichOutputBytes: number;
    timeoutMs: number;
  };
}

type ResultMessage = Extract<ChildMessage, { type: 'result' }>;

type Outcome =
  | { kind: 'result'; msg: ResultMessage }
  | { kind: 'timeout' }
  | { kind: 'interrupted' }
  | { kind: 'crashed'; exit: KernelExit }
  | { kind: 'flood' };

/** Resolved from this file's folder so it works from src (tests) and dist alike: both sit 3 levels deep. */
function childScriptPath(): string {
  return fileURLToPath(new URL('../../../dist/sandbox/pyodide-child/child.js', import.meta.url));
}

/** The pyodide npm package's folder (pyodide.mjs, the wasm, pyodide-lock.json). */
export function pyodideDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('pyodide/package.json'));
}

/** A cell the child finished: the notes on what its budgets dropped, and whether the child is spent. */
function settleResult(msg: ResultMessage, assembler: OutputAssembler): CellSettlement {
  assembler.markTruncated(msg.dropped);
  assembler.markDroppedRich(msg.droppedRich);
  const stateLost = msg.memoryExhausted || msg.fatal;
  if (stateLost) {
    assembler.add(kernelRestartedError(msg.fatal ? PYODIDE_FATAL : MEMORY_EXHAUSTED, STATE_LOST));
  }
  return { status: msg.status, stateLost, figures: msg.figures };
}

/** How the child was lost, in the words every level uses. */
function kernelLoss(outcome: Exclude<Outcome, { kind: 'result' }>, timeoutMs: number): KernelLoss {
  if (outcome.kind === 'timeout') return { kind: 'timeout', timeoutMs };
  if (outcome.kind !== 'crashed') return { kind: outcome.kind };
  const { exit } = outcome;
  // The cause (e.g. V8's "JavaScript heap out of memory") comes before the native stack frames, so
  // keep the lines that name an error, else the last few.
  const all = exit.stderrTail ? exit.stderrTail.split('\n').filter(Boolean) : [];
  const causes = all.filter((line) => /error|out of memory|fatal/i.test(line));
  return {
    kind: 'crashed',
    reason: processDied(exit),
    detail: (causes.length ? causes : all).slice(-5),
  };
}

export class NodePyodideSandbox implements PythonSandbox {
  readonly isolation = 'node-pyodide' as const;
  private kernel: KernelProcess;
  private spare: KernelProcess | undefined;
  private readonly files: RunDir;
  private readonly ownsRunDir: boolean;
  private readonly opts: Required<Omit<NodeSandboxOptions, 'runDir' | 'fetchHandler'>> & {
    fetchHandler?: FetchHandler;
  };
  private readonly childConfig: ChildConfig;
  private readonly readDirs: string[];
  private seq = 0;
  private readonly requests = new RequestLog();
  private readonly queue = new SerialQueue();
  private disposed = false;
  /** boot time of each child started so far (first = cold start), in ms */
  readonly bootTimesMs: number[] = [];

  constructor(options: NodeSandboxOptions = {}) {
    const childScript = childScriptPath();
    if (!existsSync(childScript)) {
      throw new Error(
        `the sandbox child ${childScript} is missing: build @localds/agent first (npm run build -w @localds/agent)`,
      );
    }
    for (const prefix of options.allowedUrlPrefixes ?? []) {
      if (!URL.canParse(prefix)) throw new Error(`allowedUrlPrefixes: ${prefix} is not a URL`);
    }
    this.ownsRunDir = !options.runDir;
    const runDir = realpathSync(options.runDir ?? makeOwnedTempDir('localds-run-'));
    this.files = new RunDir(runDir);
    const indexDir = pyodideDir();
    this.opts = {
      allowedUrlPrefixes: options.allowedUrlPrefixes ?? [],
      packages: options.packages ?? [],
      packageDir: realpathSync(options.packageDir ?? indexDir),
      timeoutMs: options.timeoutMs ?? 120_000,
      maxOutputBytes: options.maxOutputBytes ?? 1024 * 1024,
      maxRichOutputBytes: options.maxRichOutputBytes ?? 16 * 1024 * 1024,
      maxReprChars: options.maxReprChars ?? 100_000,
      wasmMemoryMb: options.wasmMemoryMb ?? 2048,
      jsHeapMb: options.jsHeapMb ?? 512,
      networkIsolation: options.networkIsolation ?? 'auto',
      spareKernel: options.spareKernel ?? false,
      fetchHandler: options.fetchHandler,
    };
    this.readDirs = [
      ...new Set([realpathSync(indexDir), this.opts.packageDir, dirname(dirname(childScript))]),
    ];
    this.childConfig = {
      pyodideUrl: pathToFileURL(join(indexDir, 'pyodide.mjs')).href,
      indexDir,
      packageDir: this.opts.packageDir,
      runDir,
      packages: this.opts.packages,
      maxOutputBytes: this.opts.maxOutputBytes,
      maxRichOutputBytes: this.opts.maxRichOutputBytes,
      maxReprChars: this.opts.maxReprChars,
      wasmMemoryMb: this.opts.wasmMemoryMb,
    };
    this.kernel = this.spawn();
    if (this.opts.spareKernel) this.spare = this.spawn();
  }

  get ready(): Promise<void> {
    return this.kernel.ready.then(() => undefined);
  }

  /** The OS walls the current child runs inside (Node's permission model always applies). */
  get walls(): Walls {
    return this.kernel.walls;
  }

  isolationReport(): NodeIsolationReport {
    const { wasmMemoryMb, jsHeapMb, maxOutputBytes, maxRichOutputBytes, timeoutMs } = this.opts;
    return {
      level: this.isolation,
      ...this.walls,
      permissionModel: { read: [...this.readDirs, this.runDir], write: [this.runDir] },
      codeFromStrings: false,
      limits: { wasmMemoryMb, jsHeapMb, maxOutputBytes, maxRichOutputBytes, timeoutMs },
    };
  }

  get runDir(): string {
    return this.files.root;
  }

  private spawn(): KernelProcess {
    const kernel = new KernelProcess({
      childScript: childScriptPath(),
      config: this.childConfig,
      readDirs: this.readDirs,
      jsHeapMb: this.opts.jsHeapMb,
      networkIsolation: this.opts.networkIsolation,
    });
    kernel.ready.then((ms) => this.bootTimesMs.push(ms)).catch(() => undefined);
    // Model code's requests are answered whenever they come, inside a cell or from a background task.
    kernel.subscribe((msg) => {
      if (msg.type !== 'fetch') return;
      const { allowedUrlPrefixes, fetchHandler } = this.opts;
      void this.requests.answer(msg.request, allowedUrlPrefixes, fetchHandler).then((response) => {
        const { status, headers, body } = response;
        const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
        kernel.send({ type: 'fetch-result', id: msg.id, status, headers, body: bytes });
      });
    });
    return kernel;
  }

  private async respawn(): Promise<void> {
    const old = this.kernel;
    this.kernel = this.spare ?? this.spawn();
    this.spare = this.opts.spareKernel ? this.spawn() : undefined;
    await old.kill();
  }

  run(code: string, opts: RunOptions = {}): Promise<CellResult> {
    return this.queue.push(() => this.runNow(code, opts));
  }

  private async runNow(code: string, opts: RunOptions): Promise<CellResult> {
    if (this.disposed) throw new Error('the sandbox has been disposed');
    await kernelReady(this.ready);
    if (opts.signal?.aborted) {
      // Aborted while queued: nothing ran, so the kernel and its state are untouched.
      return {
        status: 'interrupted',
        outputs: [errorOutput('KeyboardInterrupt', 'the cell was interrupted before it started')],
        durationMs: 0,
        stateLost: false,
        requests: [],
        filesWritten: [],
        figures: [],
      };
    }
    const kernel = this.kernel;
    const id = ++this.seq;
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs;
    const assembler = new OutputAssembler();
    const before = await this.files.list();
    const started = performance.now();
    // Backstop against a child that bypasses its own budgets: the parent never holds more than this.
    const feed = cappedFeed(
      assembler,
      2 * (this.opts.maxOutputBytes + this.opts.maxRichOutputBytes),
    );

    const cleanups: (() => void)[] = [];
    const outcome = await new Promise<Outcome>((resolve) => {
      cleanups.push(
        kernel.subscribe((msg) => {
          if (!('id' in msg) || msg.type === 'fetch' || msg.id !== id) return;
          if (msg.type === 'result') resolve({ kind: 'result', msg });
          else if (!feed(msg)) resolve({ kind: 'flood' });
        }),
      );
      cleanups.push(kernel.onExit((exit) => resolve({ kind: 'crashed', exit })));
      cleanups.push(watchCellLimits(timeoutMs, opts.signal, (why) => resolve({ kind: why })));
      kernel.send({ type: 'run', id, code });
    });
    for (const cleanup of cleanups) cleanup();

    const settled =
      outcome.kind === 'result'
        ? settleResult(outcome.msg, assembler)
        : settleLost(assembler, kernelLoss(outcome, timeoutMs), STATE_LOST);
    return finishCell(
      { ...settled, outputs: assembler.outputs(), started },
      {
        replaceKernel: () => (this.disposed ? Promise.resolve() : this.respawn()),
        requests: this.requests,
        filesWritten: () => this.files.changedSince(before),
      },
    );
  }

  listFiles(): Promise<FileInfo[]> {
    return this.files.list();
  }

  readFile(name: string): Promise<Uint8Array> {
    return this.files.read(name);
  }

  writeFile(name: string, bytes: Uint8Array): Promise<void> {
    return this.files.write(name, bytes);
  }

  restart(): Promise<void> {
    return this.queue.push(async () => {
      await this.respawn();
      await this.ready;
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all([this.kernel.kill(), this.spare?.kill()]);
    if (this.ownsRunDir) removeOwnedTempDir(this.files.root);
  }
}
