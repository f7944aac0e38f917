// One sandbox child process: spawn it inside its walls, validate what it says, report how it ended.
// The sandbox keeps one of these per interpreter lifetime and replaces it on timeout, crash or restart.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  childMessageSchema,
  type ChildConfig,
  type ChildMessage,
  type ParentMessage,
} from './protocol.js';
import { wrapChild, type Walls } from './walls.js';

export interface KernelSpawnOptions {
  childScript: string;
  config: ChildConfig;
  /** directories the child may read besides the run directory */
  readDirs: string[];
  jsHeapMb: number;
  networkIsolation: 'auto' | 'require' | 'off';
}

export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** the end of what the child wrote to stderr, for the crash message */
  stderrTail: string;
}

const STDERR_TAIL = 4096;

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
    '--no-warnings',
  ];
}

export class KernelProcess {
  readonly walls: Walls;
  /** resolves with the child's boot time; rejects with why it could not start */
  readonly ready: Promise<number>;
  readonly exited: Promise<KernelExit>;
  private readonly child: ChildProcess;
  private readonly listeners = new Set<(msg: ChildMessage) => void>();
  private stderrTail = '';
  private exitInfo: KernelExit | undefined;
  private readonly exitListeners = new Set<(exit: KernelExit) => void>();

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
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    let spawned = false;
    this.child.once('spawn', () => {
      spawned = true;
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) =>
        resolve({ code, signal, stderrTail: this.stderrTail.trim() }),
      );
      // Before 'spawn' an error means it never started; after, it is a failed send to a dying child,
      // which 'exit' will report.
      this.child.on('error', (err) => {
        if (!spawned) {
          resolve({ code: null, signal: null, stderrTail: `could not start: ${err.message}` });
        }
      });
    });
    void this.exited.then((exit) => {
      this.exitInfo = exit;
      for (const listener of this.exitListeners) listener(exit);
      this.exitListeners.clear();
    });
    this.ready = new Promise((resolve, reject) => {
      const onBoot = (msg: ChildMessage) => {
        if (msg.type === 'ready') resolve(msg.bootMs);
        else if (msg.type === 'boot-error')
          reject(new Error(`Pyodide failed to start: ${msg.message}`));
        else return;
        this.listeners.delete(onBoot);
      };
      this.listeners.add(onBoot);
      void this.exited.then((exit) =>
        reject(
          new Error(
            `the sandbox process exited before it was ready (${exit.signal ?? `code ${exit.code}`})` +
              (exit.stderrTail ? `: ${exit.stderrTail}` : ''),
          ),
        ),
      );
    });
    this.ready.catch(() => undefined);
    this.child.on('message', (raw: unknown) => {
      const parsed = childMessageSchema.safeParse(raw);
      // The child runs model code: anything malformed is dropped, never trusted.
      if (!parsed.success) return;
      for (const listener of [...this.listeners]) listener(parsed.data);
    });
  }

  /** Calls `listener` once when the child exits (soon, if it already has); returns an unsubscribe. */
  onExit(listener: (exit: KernelExit) => void): () => void {
    if (this.exitInfo) {
      const exit = this.exitInfo;
      queueMicrotask(() => listener(exit));
      return () => undefined;
    }
    // A Set rather than exited.then(): a finished cell's listener (and its outputs) must be released now.
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  subscribe(listener: (msg: ChildMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
