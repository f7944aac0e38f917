// Node-only: following a kernel child process to its end, as the Node and native levels both do. The
// sandbox keeps one kernel per interpreter lifetime and must know, once, how each one ended.
import type { ChildProcess } from 'node:child_process';
import { Listeners } from '../kernel/listeners.js';

export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** the end of what the process wrote to stderr, for the crash message */
  stderrTail: string;
}

const STDERR_TAIL = 4096;

/** Keeps the last 4 KiB of a kernel's stderr and tells each listener how the kernel ended, once. */
export class ExitWatch {
  readonly exited: Promise<KernelExit>;
  private stderrTail = '';
  private exit: KernelExit | undefined;
  private readonly listeners = new Listeners<KernelExit>();

  constructor(child: ChildProcess) {
    let spawned = false;
    child.once('spawn', () => {
      spawned = true;
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) =>
        resolve({ code, signal, stderrTail: this.stderrTail.trim() }),
      );
      // Before 'spawn' an error means it never started; after, it is a failed send or kill, and
      // 'exit' reports the end.
      child.on('error', (err) => {
        if (!spawned)
          resolve({ code: null, signal: null, stderrTail: `could not start: ${err.message}` });
      });
    });
    void this.exited.then((exit) => {
      this.exit = exit;
      this.listeners.emit(exit);
      this.listeners.clear();
    });
  }

  /** Feeds the stderr tail; the caller owns the stream (it may also pass the bytes on). */
  stderr(chunk: Buffer): void {
    this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
  }

  /** Calls `listener` once when the kernel exits (soon, if it already has); returns an unsubscribe. */
  onExit(listener: (exit: KernelExit) => void): () => void {
    if (this.exit) {
      const exit = this.exit;
      queueMicrotask(() => listener(exit));
      return () => undefined;
    }
    // Listeners rather than exited.then(): a finished cell's listener (and the outputs it holds) is
    // released at once.
    return this.listeners.add(listener);
  }
}

/** Why `ready` rejects when the kernel (`what`) exits during its boot. */
export function exitedBeforeReady(what: string, exit: KernelExit): Error {
  return new Error(
    `${what} exited before it was ready (${exit.signal ?? `code ${exit.code}`})` +
      (exit.stderrTail ? `: ${exit.stderrTail}` : ''),
  );
}
