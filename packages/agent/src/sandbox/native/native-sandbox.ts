// The native CPython level: the user's interpreter as a subprocess kernel, inside bubblewrap when it works
// here (read-only system, writable run directory, no network, unprivileged), else plainly labelled
// unisolated. The cell lifecycle is the shared KernelSandbox's; this file decides the walls, starts
// the kernel inside them and reports them.
import { lchownSync, lstatSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { makeOwnedTempDir, removeOwnedTempDir } from '../files/owned-temp-dir.js';
import { RunDir } from '../files/run-dir.js';
import { KERNEL_PY } from '../kernel/kernel-py.js';
import { KernelSandbox } from '../kernel/kernel-sandbox.js';
import { STATE_LOST } from '../kernel/lost-kernel.js';
import {
  reportedLimits,
  resolveSandboxOptions,
  type ResolvedSandboxOptions,
  type SandboxOptions,
} from '../kernel/options.js';
import type { IsolationLevel } from '../types.js';
import { bwrapArgs, interpreterDirs, probeBwrap, SANDBOX_UID, type BwrapLayout } from './bwrap.js';
import { DRIVER_PY } from './driver-py.js';
import { NativeTransport, type KernelCommand } from './native-transport.js';
import type { KernelInit } from './protocol.js';
import { checkPythonEnvironment, resolvePythonBin } from './python-env.js';

export interface NativeSandboxOptions extends SandboxOptions {
  /** the run's working directory (the kernel's cwd); default: a fresh temp dir, removed on dispose */
  runDir?: string;
  /** default /usr/bin/python3 */
  pythonBin?: string;
  /** RLIMIT_NPROC inside bwrap (processes and threads of the sandbox); default 256 */
  maxProcesses?: number;
  /** 'auto': bwrap when it works, else unisolated with a warning; 'bwrap': fail without it; 'none' */
  isolation?: 'auto' | 'bwrap' | 'none';
  /** size cap of the kernel's private /tmp under bwrap; default 512 MiB */
  tmpSizeMB?: number;
  /** the bubblewrap executable; default `bwrap` on PATH */
  bwrapBin?: string;
}

/** The address-space ceiling's default (RLIMIT_AS). */
const MEMORY_LIMIT_MB = 4096;

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
  /** maxProcesses: RLIMIT_NPROC; 0 when it would not bind */
  limits: ReturnType<typeof reportedLimits> & { maxProcesses: number };
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

/** The run directory as the kernel's user must see it: what the harness writes is handed to that user. */
class NativeRunDir extends RunDir {
  constructor(
    root: string,
    private readonly ids: { uid: number; gid: number } | undefined,
  ) {
    super(root);
  }

  override async write(name: string, bytes: Uint8Array): Promise<void> {
    await super.write(name, bytes);
    // The kernel's user must be able to replace what the harness put there.
    if (this.ids) {
      const { uid, gid } = this.ids;
      const parts = name.split('/');
      for (let i = 1; i <= parts.length; i++)
        lchownSync(join(this.root, ...parts.slice(0, i)), uid, gid);
    }
  }
}

export class NativeSandbox extends KernelSandbox<NativeTransport> {
  readonly isolation: IsolationLevel;
  /** set when the kernel runs without bwrap: the CLI prints it and run.json records it */
  readonly warning: string | undefined;
  readonly walls: NativeWalls;
  /** the interpreter's version, e.g. "3.11.2" */
  readonly pythonVersion: string;
  readonly runDir: string;
  private readonly init: KernelInit;

  /** Use createNativeSandbox(): it checks the interpreter and decides the walls first. */
  constructor(
    private readonly launch: Launch,
    opts: ResolvedSandboxOptions & {
      runDir: string;
      ownsRunDir: boolean;
      pythonVersion: string;
      maxProcesses: number;
    },
  ) {
    super(opts, new NativeRunDir(opts.runDir, launch.ids), {
      stateLost: STATE_LOST,
      stoppedCell: 'stop-reason',
    });
    this.isolation = launch.isolation;
    this.pythonVersion = opts.pythonVersion;
    this.warning = launch.warning;
    this.walls = launch.walls;
    this.runDir = opts.runDir;
    this.ownsRunDir = opts.ownsRunDir;
    this.init = {
      type: 'init',
      kernelSource: KERNEL_PY,
      maxOutputBytes: opts.maxOutputBytes,
      maxRichOutputBytes: opts.maxRichOutputBytes,
      maxReprChars: opts.maxReprChars,
      memoryLimitBytes: opts.memoryLimitMB * 1024 * 1024,
      maxProcesses: launch.walls.forkGuard ? opts.maxProcesses : 0,
      noNetwork: launch.walls.bwrap,
    };
    this.start();
  }

  private readonly ownsRunDir: boolean;

  isolationReport(): NativeIsolationReport {
    const { command, args } = this.launch;
    return {
      level: this.isolation,
      ...this.walls,
      wrapper: this.walls.bwrap ? [command, ...args.slice(0, args.indexOf('--'))] : [],
      ...(this.warning ? { warning: this.warning } : {}),
      limits: { ...reportedLimits(this.opts), maxProcesses: this.init.maxProcesses },
    };
  }

  protected spawnKernel(): NativeTransport {
    const { command, args, env, cwd, ids } = this.launch;
    return new NativeTransport({
      command,
      args,
      env,
      cwd,
      ids,
      init: this.init,
      maxLineBytes: this.opts.maxRichOutputBytes + 1024 * 1024,
      bootTimeoutMs: 60_000,
    });
  }

  protected override afterDispose(): void {
    if (this.ownsRunDir) removeOwnedTempDir(this.runDir);
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
  const ownsRunDir = !options.runDir;
  const runDir = realpathSync(options.runDir ?? makeOwnedTempDir('localds-run-'));
  const opts = resolveSandboxOptions(options, MEMORY_LIMIT_MB);
  const launch = decideLaunch(
    runDir,
    pythonBin,
    interpreterDirs(pythonBin, env.executable, env.prefixes),
    options.isolation ?? 'auto',
    opts.memoryLimitMB,
    options.tmpSizeMB ?? 512,
    options.bwrapBin ?? 'bwrap',
  );
  return new NativeSandbox(launch, {
    ...opts,
    runDir,
    ownsRunDir,
    pythonVersion: env.version,
    maxProcesses: options.maxProcesses ?? 256,
  });
}
