// Node-only: what the two process transports (the Pyodide child, the CPython kernel) do alike: keep
// the kernel's events, follow the process to its end, send it cells, and turn its request messages
// into the kernel's events (a result's 'end' event is kernel/transport.ts's endEvent, which the
// browser level uses too). Each says how it spawns, talks and words a death.
import type { ChildProcess } from 'node:child_process';
import { Listeners } from '../kernel/listeners.js';
import type { KernelLoss } from '../kernel/lost-kernel.js';
import type { KernelTransport, TransportEvent } from '../kernel/transport.js';
import type { SandboxRequest, SandboxResponse } from '../types.js';
import { ExitWatch, type KernelExit } from './kernel-exit.js';

/** The kernel's 'fetch' event for a request the process waits on; `reply` encodes the answer its way. */
export function fetchEvent(
  request: SandboxRequest,
  reply: (response: SandboxResponse) => void | Promise<void>,
): TransportEvent {
  return { type: 'fetch', request, reply };
}

export abstract class ProcessTransport<Command> implements KernelTransport {
  abstract readonly ready: Promise<number>;
  protected readonly events = new Listeners<TransportEvent>();
  protected readonly exit: ExitWatch;

  protected constructor(
    protected readonly child: ChildProcess,
    private readonly deathOf: (exit: KernelExit) => KernelLoss,
  ) {
    this.exit = new ExitWatch(child);
  }

  subscribe(listener: (event: TransportEvent) => void): () => void {
    return this.events.add(listener);
  }

  onDeath(listener: (loss: KernelLoss) => void): () => void {
    return this.exit.onExit((exit) => listener(this.deathOf(exit)));
  }

  run(cell: number, code: string): void {
    this.send({ type: 'run', id: cell, code });
  }

  protected get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Both protocols start a cell with the same command. */
  protected abstract send(msg: Command | { type: 'run'; id: number; code: string }): void;
  abstract kill(): Promise<void>;
}
