// The native CPython level: the user's interpreter as a subprocess kernel, inside bubblewrap when it works
// here (read-only system, writable run directory, no network, unprivileged), else plainly labelled
// unisolated. Model code's HTTP comes back through the protocol and is answered by the harness.
import { lchownSync, lstatSync, readdirSync, realpathSync } from 'node:fs';
import { makeOwnedTempDir, removeOwnedTempDir } from '../files/owned-temp-dir.js';
import { join } from 'node:path';
import { finishCell, settleLost, type CellSettlement } from '../kernel/cell-result.js';
import { watchCellLimits, type StopReason } from '../kernel/cell-limits.js';
import { KERNEL_PY } from '../kernel/kernel-py.js';
import {
  kernelRestartedError,
  MEMORY_EXHAUSTED,
  processDied,
  STATE_LOST,
  type KernelLoss,
  kernelReady,
} from '../kernel/lost-kernel.js';
import { cappedFeed, OutputAssembler, StreamLimiter, type StreamName } from '../kernel/outputs.js';
import { RequestLog } from '../kernel/request-log.js';
import { RunDir } from '../files/run-dir.js';
import type {
  CellResult,
  FetchHandler,
  FileInfo,
  IsolationLevel,
  PythonSandbox,
  RunOptions,
} from '../types.js';
import { bwrapArgs, interpreterDirs, probeBwrap, SANDBOX_UID, type BwrapLayout } from './bwrap.js';
import { DRIVER_PY } from './driver-py.js';
import { NativeKernel, type KernelCommand, type KernelExit } from './kernel-process.js';
import type { KernelInit, KernelMessage } from './protocol.js';
import { checkPythonEnvironment, resolvePythonBin } from './python-env.js';
import { SerialQueue } from '../kernel/serial-queue.js';

export interface NativeSandboxOptions {
  /** the run's working directory (the kernel's cwd); default: a fresh temp dir, removed on dispose */
  runDir?: string;
  /** default /usr/bin/python3 */
  pythonBin?: string;
  /** answers model code's allowed requests (e.g. the embedded data endpoint) */
  fetchHandler?: FetchHandler;
  /** URL prefixes model code may request; everything else is answered 403 by the harness */
  allowedUrlPrefixes?: string[];
  /** the kernel's address-space ceiling (RLIMIT_AS); default 4096 MiB; 0 = none */
  memoryLimitMB?: number;
  /** stdout+stderr kept per cell; the rest is counted and dropped; default 1 MiB */
  outputLimitBytes?: number;
  /** rich outputs (results, figures, errors) kept per cell; default 16 MiB */
  maxRichOutputBytes?: number;
  /** longest repr/_repr_html_ kept in a result; default 100 000 characters */
  maxReprChars?: number;
  /** default per-cell timeout; default 120 s */
  timeoutMs?: number;
  /** how long an interrupted cell may take to stop before the kernel is killed; default 3 s */
  interruptGraceMs?: number;
  /** RLIMIT_NPROC inside bwrap (processes and threads of the sandbox); default 256 */
  maxProcesses?: number;
  /** 'auto': bwrap when it works, else unisolated with a warning; 'bwrap': fail without it; 'none' */
  isolation?: 'auto' | 'bwrap' | 'none';
  /** size cap of the kernel's private /tmp under bwrap; default 512 MiB */
  tmpSizeMB?: number;
  /** the bubblewrap executable; default `bwrap` on PATH */
  bwrapBin?: string;
}

/** What actually stands around the kernel, for run.json and the CLI. */
export interface NativeWalls {
  bwrap: boolean;
  /** the uid the kernel runs as (65534 when the harness is root and bwrap allows it) */
  uid: number;
  /** RLIMIT_NPROC binds: an unprivileged user in its own user namespace */
  forkGuard: boolean;
  memoryLimitMB: number;
}

/** What run.json records about the walls a native sandbox ran inside. */
export interface NativeIsolationReport extends NativeWalls {
  level: IsolationLevel;
  /** bwrap and the flags it was started with (mounts, namespaces, env); empty when unisolated */
  wrapper: string[];
  warning?: string;
  limits: {
    memoryLimitMB: number;
    outputLimitBytes: number;
    maxRichOutputBytes: number;
    timeoutMs: number;
    /** RLIMIT_NPROC; 0 when it would not bind */
    maxProcesses: number;
  };
}

type ResultMessage = Extract<KernelMessage, { type: 'result' }>;

type Outcome =
  | { kind: 'result'; msg: ResultMessage }
  | { kind: 'killed'; status: StopReason }
  | { kind: 'crashed'; exit: KernelExit }
  | { kind: 'flood' };

/**
 * A cell the kernel finished. When the time limit had passed, the KeyboardInterrupt the harness sent
 * makes it a timeout, with its state kept.
 */
function settleResult(
  msg: ResultMessage,
  assembler: OutputAssembler,
  { timedOut, timeoutMs }: { timedOut: boolean; timeoutMs: number },
): CellSettlement {
  const status = msg.interrupted ? (timedOut ? 'timeout' : 'interrupted') : msg.status;
  assembler.markDroppedRich(msg.droppedRich);
  if (msg.interrupted && timedOut) {
    assembler.stream(
      'stderr',
      `[localds] the cell ran longer than ${timeoutMs} ms and was interrupted; variables are kept\n`,
    );
  }
  if (msg.memoryExhausted) assembler.add(kernelRestartedError(MEMORY_EXHAUSTED, STATE_LOST));
  return { status, stateLost: msg.memoryExhausted, figures: msg.figures };
}

/** How the kernel was lost, in the words every level uses. */
function kernelLoss(outcome: Exclude<Outcome, { kind: 'result' }>, timeoutMs: number): KernelLoss {
  if (outcome.kind === 'flood') return { kind: 'flood' };
  if (outcome.kind === 'killed') {
    return outcome.status === 'timeout'
      ? { kind: 'timeout', timeoutMs, interruptIgnored: true }
      : { kind: 'interrupted', interruptIgnored: true };
  }
  const { exit } = outcome;
  // Python's own last words (a traceback, a fatal error) end its stderr.
  const detail = exit.stderrTail ? exit.stderrTail.split('\n').slice(-5) : [];
  return { kind: 'crashed', reason: processDied(exit), detail };
}

/** Gives the run directory (and what is already in it) to the sandbox user; returns how to undo it. */
function chownTree(root: string, uid: number, gid: number): () => void {
  const undo: [string, number, number][] = [];
  const walk = (path: string) => {
    const s = lstatSync(path, { throwIfNoEntry: false }); // never follow a symlink out of the run dir
    if (s) undo.push([path, s.uid, s.gid]);
    lchownSync(path, uid, gid);
    if (s?.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(root);
  return () => {
    for (const [path, u, g] of undo) lchownSync(path, u, g);
  };
}

interface Launch extends KernelCommand {
  isolation: IsolationLevel;
  walls: NativeWalls;
  warning?: string;
  privateTmp?: string;
}

export class NativeSandbox implements PythonSandbox {
  readonly isolation: IsolationLevel;
  /** set when the kernel runs without bwrap: the CLI prints it and run.json records it */
  readonly warning: string | undefined;
  readonly walls: NativeWalls;
  /** the interpreter's version, e.g. "3.11.2" */
  readonly pythonVersion: string;
  /** boot time of each kernel started so far (first = cold start), in ms */
  readonly bootTimesMs: number[] = [];
  private kernel: NativeKernel;
  private readonly files: RunDir;
  private seq = 0;
  private readonly requests = new RequestLog();
  private readonly queue = new SerialQueue();
  private disposed = false;
  private readonly init: KernelInit;

  /** Use createNativeSandbox(): it checks the interpreter and decides the walls first. */
  constructor(
    private readonly launch: Launch,
    private readonly opts: Required<
      Omit<
        NativeSandboxOptions,
        'runDir' | 'fetchHandler' | 'pythonBin' | 'isolation' | 'bwrapBin' | 'tmpSizeMB'
      >
    > & { fetchHandler?: FetchHandler; runDir: string; ownsRunDir: boolean; pythonVersion: string },
  ) {
    this.isolation = launch.isolation;
    this.pythonVersion = opts.pythonVersion;
    this.warning = launch.warning;
    this.walls = launch.walls;
    this.files = new RunDir(opts.runDir);
    this.init = {
      type: 'init',
      kernelSource: KERNEL_PY,
      maxOutputBytes: opts.outputLimitBytes,
      maxRichOutputBytes: opts.maxRichOutputBytes,
      maxReprChars: opts.maxReprChars,
      memoryLimitBytes: opts.memoryLimitMB * 1024 * 1024,
      maxProcesses: launch.walls.forkGuard ? opts.maxProcesses : 0,
      noNetwork: launch.walls.bwrap,
    };
    this.kernel = this.spawn();
  }

  get ready(): Promise<void> {
    return this.kernel.ready.then(() => undefined);
  }

  get runDir(): string {
    return this.files.root;
  }

  isolationReport(): NativeIsolationReport {
    const { memoryLimitMB, outputLimitBytes, maxRichOutputBytes, timeoutMs } = this.opts;
    const { command, args } = this.launch;
    return {
      level: this.isolation,
      ...this.walls,
      wrapper: this.walls.bwrap ? [command, ...args.slice(0, args.indexOf('--'))] : [],
      ...(this.warning ? { warning: this.warning } : {}),
      limits: {
        memoryLimitMB,
        outputLimitBytes,
        maxRichOutputBytes,
        timeoutMs,
        maxProcesses: this.init.maxProcesses,
      },
    };
  }

  private spawn(): NativeKernel {
    const { command, args, env, cwd, ids } = this.launch;
    const kernel = new NativeKernel({
      command,
      args,
      env,
      cwd,
      ids,
      init: this.init,
      maxLineBytes: this.opts.maxRichOutputBytes + 1024 * 1024,
      bootTimeoutMs: 60_000,
    });
    kernel.ready.then((ms) => this.bootTimesMs.push(ms)).catch(() => undefined);
    // Requests are answered whenever they come, inside a cell or from a background thread.
    kernel.subscribe((msg) => {
      if (msg.type !== 'fetch') return;
      const { method, url, headers, body } = msg.request;
      const request = {
        method,
        url,
        headers,
        body: body ? Buffer.from(body, 'base64') : undefined,
      };
      const { allowedUrlPrefixes, fetchHandler } = this.opts;
      void this.requests.answer(request, allowedUrlPrefixes, fetchHandler).then((response) => {
        const { status, headers, body } = response;
        const base64 = Buffer.from(body).toString('base64');
        kernel.send({ type: 'fetch-result', id: msg.id, status, headers, body: base64 });
      });
    });
    return kernel;
  }

  private async respawn(): Promise<void> {
    const old = this.kernel;
    this.kernel = this.spawn();
    await old.kill();
  }

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
    const before = await this.files.list();
    const started = performance.now();
    // Raw fd output (subprocesses, C code) has its own budget; the protocol's is enforced in the kernel.
    const rawLimiter = new StreamLimiter(this.opts.outputLimitBytes);
    const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    // Backstop against a kernel that bypasses its own budgets: the parent never holds more than this.
    const feed = cappedFeed(
      assembler,
      2 * (this.opts.outputLimitBytes + this.opts.maxRichOutputBytes),
    );
    let timedOut = false;

    const cleanups: (() => void)[] = [];
    const outcome = await new Promise<Outcome>((resolve) => {
      const onRaw = (name: StreamName, bytes: Buffer) => {
        const kept = rawLimiter.accept(name, bytes);
        if (kept.length) assembler.stream(name, decoders[name].decode(kept, { stream: true }));
      };
      cleanups.push(kernel.onRaw(onRaw));
      cleanups.push(
        kernel.subscribe((msg) => {
          if (msg.type === 'ready' || msg.type === 'fetch' || msg.id !== id) return;
          if (msg.type === 'result') return resolve({ kind: 'result', msg });
          if (!feed(msg)) resolve({ kind: 'flood' });
        }),
      );
      cleanups.push(kernel.onOverflow(() => resolve({ kind: 'flood' })));
      cleanups.push(kernel.onExit((exit) => resolve({ kind: 'crashed', exit })));
      // SIGINT first (KeyboardInterrupt, state kept); a cell that ignores it is killed after the grace.
      let interrupting = false;
      const interrupt = (status: StopReason) => {
        if (status === 'timeout') timedOut = true;
        if (interrupting) return;
        interrupting = true;
        kernel.send({ type: 'interrupt', id });
        const grace = setTimeout(
          () => resolve({ kind: 'killed', status }),
          this.opts.interruptGraceMs,
        );
        cleanups.push(() => clearTimeout(grace));
      };
      cleanups.push(watchCellLimits(timeoutMs, opts.signal, interrupt));
      kernel.send({ type: 'run', id, code });
    });
    for (const cleanup of cleanups) cleanup();
    for (const name of ['stdout', 'stderr'] as const)
      assembler.stream(name, decoders[name].decode());

    const settled =
      outcome.kind === 'result'
        ? settleResult(outcome.msg, assembler, { timedOut, timeoutMs })
        : settleLost(assembler, kernelLoss(outcome, timeoutMs), STATE_LOST);
    // Last, so the marker follows every note: raw fd output and the kernel's protocol streams together.
    const kernelDropped = outcome.kind === 'result' ? outcome.msg.dropped : undefined;
    assembler.markTruncated({
      stdout: rawLimiter.dropped.stdout + (kernelDropped?.stdout ?? 0),
      stderr: rawLimiter.dropped.stderr + (kernelDropped?.stderr ?? 0),
    });
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

  async writeFile(name: string, bytes: Uint8Array): Promise<void> {
    await this.files.write(name, bytes);
    // The kernel's user must be able to replace what the harness put there.
    if (this.launch.ids) {
      const { uid, gid } = this.launch.ids;
      const parts = name.split('/');
      for (let i = 1; i <= parts.length; i++)
        lchownSync(join(this.runDir, ...parts.slice(0, i)), uid, gid);
    }
  }

  /** Waits for a running cell to finish (or time out) rather than killing it underneath. */
  restart(): Promise<void> {
    return this.queue.push(async () => {
      await this.respawn();
      await this.ready;
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.kernel.kill();
    if (this.opts.ownsRunDir) removeOwnedTempDir(this.runDir);
    if (this.launch.privateTmp) removeOwnedTempDir(this.launch.privateTmp);
  }
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Chooses the walls: bwrap as an unprivileged user, bwrap as root without capabilities, or none. */
function decideLaunch(
  runDir: string,
  pythonBin: string,
  roDirs: string[],
  isolation: 'auto' | 'bwrap' | 'none',
  memoryLimitMB: number,
  tmpSizeMB: number,
  bwrapBin: string,
): Launch {
  const driver = [pythonBin, '-B', '-c', DRIVER_PY];
  const baseEnv = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    MPLBACKEND: 'Agg',
    PYTHONDONTWRITEBYTECODE: '1',
  };
  let why = "isolation 'none' was chosen";
  if (isolation !== 'none') {
    const layout: BwrapLayout = {
      runDir,
      roDirs,
      env: { ...baseEnv, HOME: '/tmp', TMPDIR: '/tmp', MPLCONFIGDIR: '/tmp/matplotlib' },
      tmpSizeBytes: tmpSizeMB * 1024 * 1024,
    };
    const bwrap = (ids: { uid: number; gid: number } | undefined, forkGuard: boolean): Launch => ({
      isolation: 'native-bwrap',
      command: bwrapBin,
      args: [...bwrapArgs(layout), '--', ...driver],
      env: { PATH: baseEnv.PATH },
      cwd: '/',
      ids,
      walls: { bwrap: true, uid: ids?.uid ?? process.getuid?.() ?? 0, forkGuard, memoryLimitMB },
    });
    if (isRoot()) {
      const ids = { uid: SANDBOX_UID, gid: SANDBOX_UID };
      const undo = chownTree(runDir, ids.uid, ids.gid);
      const probe = probeBwrap(bwrapBin, layout, pythonBin, ids);
      if (probe.ok) return bwrap(ids, true);
      undo();
      // e.g. the interpreter lives under /root: still walled, but root (without capabilities) inside.
      const asRoot = probeBwrap(bwrapBin, layout, pythonBin);
      if (asRoot.ok) return bwrap(undefined, false);
      why = asRoot.error ?? probe.error ?? 'bwrap failed';
    } else {
      const probe = probeBwrap(bwrapBin, layout, pythonBin);
      if (probe.ok) return bwrap(undefined, true);
      why = probe.error ?? 'bwrap failed';
    }
    if (isolation === 'bwrap') throw new Error(`isolation 'bwrap' is unavailable: ${why}`);
  }
  const privateTmp = makeOwnedTempDir('localds-native-tmp-');
  return {
    isolation: 'native-unisolated',
    command: pythonBin,
    args: driver.slice(1),
    env: {
      ...baseEnv,
      HOME: privateTmp,
      TMPDIR: privateTmp,
      MPLCONFIGDIR: join(privateTmp, 'mpl'),
    },
    cwd: runDir,
    walls: { bwrap: false, uid: process.getuid?.() ?? 0, forkGuard: false, memoryLimitMB },
    warning:
      `native Python runs UNISOLATED (${why}): model code can read and write your files and reach ` +
      'the network; only its HTTP through requests/urllib is checked against the allow-list',
    privateTmp,
  };
}

/**
 * Starts a native CPython sandbox. Rejects with a clear message when the interpreter is missing or lacks
 * pandas/scipy/matplotlib/requests, or when isolation 'bwrap' was asked for and cannot work here.
 */
export async function createNativeSandbox(
  options: NativeSandboxOptions = {},
): Promise<NativeSandbox> {
  const pythonBin = resolvePythonBin(options.pythonBin);
  const env = await checkPythonEnvironment(pythonBin);
  if (!env.ok) throw new Error(env.message);
  const allowedUrlPrefixes = options.allowedUrlPrefixes ?? [];
  for (const prefix of allowedUrlPrefixes) new URL(prefix); // throws on a malformed prefix
  const ownsRunDir = !options.runDir;
  const runDir = realpathSync(options.runDir ?? makeOwnedTempDir('localds-run-'));
  const memoryLimitMB = options.memoryLimitMB ?? 4096;
  const launch = decideLaunch(
    runDir,
    pythonBin,
    interpreterDirs(pythonBin, env.executable, env.prefixes),
    options.isolation ?? 'auto',
    memoryLimitMB,
    options.tmpSizeMB ?? 512,
    options.bwrapBin ?? 'bwrap',
  );
  return new NativeSandbox(launch, {
    runDir,
    ownsRunDir,
    pythonVersion: env.version,
    fetchHandler: options.fetchHandler,
    allowedUrlPrefixes,
    memoryLimitMB,
    outputLimitBytes: options.outputLimitBytes ?? 1024 * 1024,
    maxRichOutputBytes: options.maxRichOutputBytes ?? 16 * 1024 * 1024,
    maxReprChars: options.maxReprChars ?? 100_000,
    timeoutMs: options.timeoutMs ?? 120_000,
    interruptGraceMs: options.interruptGraceMs ?? 3000,
    maxProcesses: options.maxProcesses ?? 256,
  });
}
