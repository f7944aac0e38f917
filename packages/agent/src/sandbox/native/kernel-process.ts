// One native kernel process (the interpreter, inside bwrap or not): spawn it in its own process group,
// split and validate its protocol lines under a byte cap, pass its raw fd 1/2 output on, kill the group.
import { spawn, type ChildProcess } from 'node:child_process';
import { ExitWatch, exitedBeforeReady, type KernelExit } from '../process/kernel-exit.js';
import { diesWithParent } from '../process/parent-death.js';
import { Listeners } from '../kernel/listeners.js';
import type { StreamName } from '../kernel/outputs.js';
import { kernelMessageSchema, type KernelMessage, type ParentCommand } from './protocol.js';

/** How the kernel process is started (bwrap or the interpreter itself). */
export interface KernelCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** the user and group it runs as, when the harness is root */
  ids?: { uid: number; gid: number };
}

export interface NativeKernelSpawn extends KernelCommand {
  init: ParentCommand;
  /** a protocol line longer than this is a flood: the kernel is killed */
  maxLineBytes: number;
  /** a kernel not ready by then is killed and `ready` rejects */
  bootTimeoutMs: number;
}

export type { KernelExit };

/** Splits a byte stream into lines, refusing any line longer than `max` (readline has no such cap). */
class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly max: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: () => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.parts.push(chunk.subarray(start, nl));
      const line = Buffer.concat(this.parts).toString('utf8');
      this.parts = [];
      this.size = 0;
      start = nl + 1;
      this.onLine(line);
    }
    const rest = chunk.subarray(start);
    this.size += rest.length;
    if (this.size > this.max) {
      this.parts = [];
      this.size = 0;
      this.onOverflow();
    } else if (rest.length) this.parts.push(rest);
  }
}

export class NativeKernel {
  readonly ready: Promise<number>;
  readonly exited: Promise<KernelExit>;
  private readonly child: ChildProcess;
  private readonly listeners = new Listeners<KernelMessage>();
  private readonly rawListeners = new Listeners<{ name: StreamName; bytes: Buffer }>();
  private readonly overflowListeners = new Listeners<void>();
  private readonly exit: ExitWatch;

  constructor(opts: NativeKernelSpawn) {
    const started = performance.now();
    // bwrap has --die-with-parent of its own; the unisolated interpreter needs the prefix.
    const { command, args } = diesWithParent(opts.command, opts.args);
    this.child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env,
      // fd 0: commands in; fd 1/2: raw output; fd 3: protocol messages out
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      detached: true, // its own process group, killed as a whole
      ...opts.ids,
    });
    this.child.stdin?.on('error', () => undefined); // EPIPE once the kernel is dead: exit handles it
    const protocol = this.child.stdio[3] as NodeJS.ReadableStream | null;
    const splitter = new LineSplitter(
      opts.maxLineBytes,
      (line) => this.dispatch(line),
      () => this.overflowListeners.emit(),
    );
    protocol?.on('data', (chunk: Buffer) => splitter.push(chunk));
    this.exit = new ExitWatch(this.child);
    this.exited = this.exit.exited;
    this.child.stdout?.on('data', (bytes: Buffer) =>
      this.rawListeners.emit({ name: 'stdout', bytes }),
    );
    this.child.stderr?.on('data', (bytes: Buffer) => {
      this.exit.stderr(bytes);
      this.rawListeners.emit({ name: 'stderr', bytes });
    });
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`the Python kernel did not start within ${opts.bootTimeoutMs} ms`));
        void this.kill();
      }, opts.bootTimeoutMs);
      const onReady = (msg: KernelMessage) => {
        if (msg.type !== 'ready') return;
        this.listeners.delete(onReady);
        clearTimeout(timer);
        resolve(Math.round(performance.now() - started));
      };
      this.listeners.add(onReady);
      void this.exited.then((exit) => {
        clearTimeout(timer);
        reject(exitedBeforeReady('the Python kernel', exit));
      });
    });
    this.ready.catch(() => undefined);
    this.send(opts.init);
  }

  private dispatch(line: string): void {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return; // the kernel runs model code: a malformed line is dropped, never trusted
    }
    const parsed = kernelMessageSchema.safeParse(json);
    if (!parsed.success) return;
    this.listeners.emit(parsed.data);
  }

  subscribe(listener: (msg: KernelMessage) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Output written straight to fd 1/2 (subprocesses, C code), as it arrives. */
  onRaw(listener: (name: StreamName, bytes: Buffer) => void): () => void {
    return this.rawListeners.add(({ name, bytes }) => listener(name, bytes));
  }

  onOverflow(listener: () => void): () => void {
    return this.overflowListeners.add(listener);
  }

  onExit(listener: (exit: KernelExit) => void): () => void {
    return this.exit.onExit(listener);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  send(msg: ParentCommand): void {
    if (this.alive && this.child.stdin?.writable)
      this.child.stdin.write(`${JSON.stringify(msg)}\n`);
  }

  /** SIGKILL to the whole process group; under bwrap the pid namespace takes whatever left the group. */
  async kill(): Promise<void> {
    if (this.alive && this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        this.child.kill('SIGKILL');
      }
    }
    await this.exited;
  }
}
