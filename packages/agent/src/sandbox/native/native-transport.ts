// The native level's transport: one kernel process (the interpreter, inside bwrap or not), spawned in its
// own process group; its protocol lines are split and validated under a byte cap and turned into the
// kernel's events, its raw fd 1/2 output passed on, and the whole group killed at the end.
import { spawn } from 'node:child_process';
import { exitedBeforeReady, type KernelExit } from '../process/kernel-exit.js';
import { endEvent, type TransportEvent } from '../kernel/transport.js';
import { fetchEvent, ProcessTransport } from '../process/process-transport.js';
import { diesWithParent } from '../process/parent-death.js';
import { MEMORY_EXHAUSTED, processDied, type KernelLoss } from '../kernel/lost-kernel.js';
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

/** How the kernel died: Python's own last words (a traceback, a fatal error) end its stderr. */
function nativeLoss(exit: KernelExit): KernelLoss {
  const detail = exit.stderrTail ? exit.stderrTail.split('\n').slice(-5) : [];
  return { kind: 'crashed', reason: processDied(exit), detail };
}

/** The kernel's event for one protocol message (the boot message is none). */
function toEvent(msg: KernelMessage, send: (msg: ParentCommand) => void): TransportEvent | null {
  switch (msg.type) {
    case 'stream':
    case 'display':
      return { type: 'output', cell: msg.id, output: msg };
    case 'fetch': {
      const { method, url, headers, body } = msg.request;
      const request = {
        method,
        url,
        headers,
        body: body ? Buffer.from(body, 'base64') : undefined,
      };
      return fetchEvent(request, ({ status, headers, body }) => {
        const base64 = Buffer.from(body).toString('base64');
        send({ type: 'fetch-result', id: msg.id, status, headers, body: base64 });
      });
    }
    case 'result':
      return endEvent(msg, {
        // `interrupted`: the harness's SIGINT reached the cell
        keyboardInterrupt: msg.interrupted,
        spent: msg.memoryExhausted ? MEMORY_EXHAUSTED : undefined,
      });
    default:
      return null;
  }
}

export class NativeTransport extends ProcessTransport<ParentCommand> {
  readonly ready: Promise<number>;

  constructor(opts: NativeKernelSpawn) {
    const started = performance.now();
    // bwrap has --die-with-parent of its own; the unisolated interpreter needs the prefix.
    const { command, args } = diesWithParent(opts.command, opts.args);
    super(
      spawn(command, args, {
        cwd: opts.cwd,
        env: opts.env,
        // fd 0: commands in; fd 1/2: raw output; fd 3: protocol messages out
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
        detached: true, // its own process group, killed as a whole
        ...opts.ids,
      }),
      nativeLoss,
    );
    this.child.stdin?.on('error', () => undefined); // EPIPE once the kernel is dead: exit handles it
    let onReady: (() => void) | undefined;
    const send = (msg: ParentCommand) => this.send(msg);
    const splitter = new LineSplitter(
      opts.maxLineBytes,
      (line) => {
        const msg = parseMessage(line);
        if (msg?.type === 'ready') onReady?.();
        const event = msg && toEvent(msg, send);
        if (event) this.events.emit(event);
      },
      // A protocol line over the cap is a flood: the running cell loses its kernel.
      () => this.events.emit({ type: 'lost', loss: { kind: 'flood' } }),
    );
    const protocol = this.child.stdio[3] as NodeJS.ReadableStream | null;
    protocol?.on('data', (chunk: Buffer) => splitter.push(chunk));
    this.child.stdout?.on('data', (bytes: Buffer) =>
      this.events.emit({ type: 'raw', name: 'stdout', bytes }),
    );
    this.child.stderr?.on('data', (bytes: Buffer) => {
      this.exit.stderr(bytes);
      this.events.emit({ type: 'raw', name: 'stderr', bytes });
    });
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`the Python kernel did not start within ${opts.bootTimeoutMs} ms`));
        void this.kill();
      }, opts.bootTimeoutMs);
      onReady = () => {
        onReady = undefined;
        clearTimeout(timer);
        resolve(Math.round(performance.now() - started));
      };
      void this.exit.exited.then((exit) => {
        clearTimeout(timer);
        reject(exitedBeforeReady('the Python kernel', exit));
      });
    });
    this.ready.catch(() => undefined);
    this.send(opts.init);
  }

  /** SIGINT in the kernel: KeyboardInterrupt in the cell, its state kept. */
  readonly interrupt = (cell: number): void => this.send({ type: 'interrupt', id: cell });

  protected send(msg: ParentCommand): void {
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
    await this.exit.exited;
  }
}

/** A protocol line, validated: the kernel runs model code, so anything malformed is dropped. */
function parseMessage(line: string): KernelMessage | null {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = kernelMessageSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
