// One sandbox child process: spawn it inside its walls, validate what it says, report how it ended.
// The sandbox keeps one of these per interpreter lifetime and replaces it on timeout, crash or restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { ExitWatch, exitedBeforeReady, type KernelExit } from '../process/kernel-exit.js';
import { Listeners } from '../kernel/listeners.js';
import {
  childMessageSchema,
  type ChildConfig,
  type ChildMessage,
  type ParentMessage,
} from './protocol.js';
import { jspiFlags } from './jspi.js';
import { wrapChild, type Walls } from './walls.js';

export interface KernelSpawnOptions {
  childScript: string;
  config: ChildConfig;
  /** directories the child may read besides the run directory */
  readDirs: string[];
  jsHeapMb: number;
  networkIsolation: 'auto' | 'require' | 'off';
}

export type { KernelExit };

/** The node flags of a sandbox child: Node's permission model limits it to reading `readDirs` and the run
 * directory and writing the run directory; no child processes, workers, addons or WASI. */
export function sandboxNodeFlags(opts: {
  readDirs: string[];
  runDir: string;
  jsHeapMb: number;
}): string[] {
  return [
    '--experimental-permission',
    ...[...opts.readDirs, opts.runDir].map((dir) => `--allow-fs-read=${dir}`),
    `--allow-fs-write=${opts.runDir}`,
    `--max-old-space-size=${opts.jsHeapMb}`,
    // No eval/new Function: run_js and js.eval/js.Function cannot turn strings into JS.
    '--disallow-code-generation-from-strings',
    // JSPI, so model code's `requests` (urllib3) can wait on the guarded fetch.
    ...jspiFlags(),
    '--no-warnings',
  ];
}

export class KernelProcess {
  readonly walls: Walls;
  /** resolves with the child's boot time; rejects with why it could not start */
  readonly ready: Promise<number>;
  readonly exited: Promise<KernelExit>;
  private readonly child: ChildProcess;
  private readonly listeners = new Listeners<ChildMessage>();
  private readonly exit: ExitWatch;

  constructor(opts: KernelSpawnOptions) {
    const nodeArgs = [
      ...sandboxNodeFlags({
        readDirs: opts.readDirs,
        runDir: opts.config.runDir,
        jsHeapMb: opts.jsHeapMb,
      }),
      opts.childScript,
      JSON.stringify(opts.config),
    ];
    // The OS ceiling sits above both heaps so the wasm cap (a clean MemoryError) normally trips first.
    const osMemoryBytes = (opts.config.wasmMemoryMb + opts.jsHeapMb + 1024) * 1024 * 1024;
    const cmd = wrapChild(nodeArgs, { osMemoryBytes, networkIsolation: opts.networkIsolation });
    this.walls = cmd.walls;
    this.child = spawn(cmd.command, cmd.args, {
      // An empty environment: no keys or tokens of the harness can leak into the child.
      env: {},
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.exit = new ExitWatch(this.child);
    this.exited = this.exit.exited;
    this.child.stderr?.on('data', (chunk: Buffer) => this.exit.stderr(chunk));
    this.ready = new Promise((resolve, reject) => {
      const onBoot = (msg: ChildMessage) => {
        if (msg.type === 'ready') resolve(msg.bootMs);
        else if (msg.type === 'boot-error')
          reject(new Error(`Pyodide failed to start: ${msg.message}`));
        else return;
        this.listeners.delete(onBoot);
      };
      this.listeners.add(onBoot);
      void this.exited.then((exit) => reject(exitedBeforeReady('the sandbox process', exit)));
    });
    this.ready.catch(() => undefined);
    this.child.on('message', (raw: unknown) => {
      const parsed = childMessageSchema.safeParse(raw);
      // The child runs model code: anything malformed is dropped, never trusted.
      if (!parsed.success) return;
      this.listeners.emit(parsed.data);
    });
  }

  /** Calls `listener` once when the child exits (soon, if it already has); returns an unsubscribe. */
  onExit(listener: (exit: KernelExit) => void): () => void {
    return this.exit.onExit(listener);
  }

  subscribe(listener: (msg: ChildMessage) => void): () => void {
    return this.listeners.add(listener);
  }

  send(msg: ParentMessage): void {
    // A child that dies meanwhile makes the send fail; its exit is reported through `exited`.
    if (this.child.connected) this.child.send(msg, () => undefined);
  }

  /** SIGKILL: the wrapper (unshare/bwrap) passes it on to node, and the pid namespace takes the rest. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
