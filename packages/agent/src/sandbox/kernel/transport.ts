// What a kernel (a worker, a Pyodide child, a CPython process) offers the shared KernelSandbox: boot,
// run a cell, push outputs, relay model code's requests, interrupt, die. Isomorphic. Each isolation
// level implements it in a few lines over its own channel (MessagePorts, Node IPC, pipes); everything
// about a cell's lifecycle lives in kernel-sandbox.ts.
import type { FigureInfo, RequestRecord, SandboxRequest, SandboxResponse } from '../types.js';
import type { KernelLoss } from './lost-kernel.js';
import type { PushedOutput, StreamName } from './outputs.js';

/** How a cell the kernel finished went, as its kernel reported it. */
export interface CellEnd {
  status: 'ok' | 'error';
  /** stream bytes the kernel counted and dropped past the output budget */
  dropped: Record<StreamName, number>;
  /** rich outputs the kernel dropped once the cell's budget for them was spent */
  droppedRich: number;
  figures: FigureInfo[];
  /** the cell ended by a KeyboardInterrupt (what the harness asks for when it interrupts) */
  keyboardInterrupt: boolean;
  /** set when the kernel finished the cell but cannot run another: why (memory, a fatal error) */
  spent?: string;
  /**
   * The kernel's peak memory while the cell ran, in bytes, as only its level can read it: Pyodide's
   * wasm heap (it never shrinks, so its size when the cell ends is its peak), CPython's peak resident
   * set since the cell started (VmHWM, reset per cell). Absent where the level could not read it.
   */
  peakMemoryBytes?: number;
}

export type TransportEvent =
  /** an output of cell `cell`, in order */
  | { type: 'output'; cell: number; output: PushedOutput }
  /** bytes written straight to the process's fd 1/2 (subprocesses, C code): the running cell's */
  | { type: 'raw'; name: StreamName; bytes: Uint8Array }
  /** cell `cell` finished; every output it pushed has arrived */
  | { type: 'end'; cell: number; end: CellEnd }
  /** the kernel can no longer be trusted with the running cell (a flood, a broken call) */
  | { type: 'lost'; loss: KernelLoss }
  /**
   * model code made a request; `reply` carries the harness's answer back when the kernel waits for it
   * (absent when the kernel answered it itself and the harness only records it), and may resolve once
   * the answer has left, so that the harness's own work after it does not hold it up
   */
  | {
      type: 'fetch';
      request: SandboxRequest;
      reply?: (response: SandboxResponse) => void | Promise<void>;
    }
  /** a request the kernel refused itself (e.g. a blocked browser API), for the trace */
  | { type: 'refused'; record: RequestRecord };

/** The fields every kernel reports when a cell finishes (wire-schemas.ts cellEndFields), with the cell. */
interface ResultFields {
  id: number;
  status: 'ok' | 'error';
  dropped: Record<StreamName, number>;
  droppedRich: number;
  figures: FigureInfo[];
  peakMemoryBytes?: number;
}

/** The kernel's 'end' event for a kernel's result message and what only its level knows. */
export function endEvent(
  msg: ResultFields,
  level: Pick<CellEnd, 'keyboardInterrupt' | 'spent'>,
): TransportEvent {
  const { status, dropped, droppedRich, figures, peakMemoryBytes } = msg;
  const { keyboardInterrupt, spent } = level;
  return {
    type: 'end',
    cell: msg.id,
    end: {
      status,
      dropped,
      droppedRich,
      figures,
      keyboardInterrupt,
      ...(spent ? { spent } : {}),
      ...(peakMemoryBytes === undefined ? {} : { peakMemoryBytes }),
    },
  };
}

/** One kernel lifetime. The sandbox replaces it after a lost cell, a spent kernel or a restart. */
export interface KernelTransport {
  /** resolves with the boot time in ms; rejects with why the kernel could not start */
  readonly ready: Promise<number>;
  subscribe(listener: (event: TransportEvent) => void): () => void;
  /**
   * Calls `listener` once if the kernel dies (at once if it already has), with how; returns an
   * unsubscribe, so a finished cell's listener (and the outputs it holds) is released.
   */
  onDeath(listener: (loss: KernelLoss) => void): () => void;
  run(cell: number, code: string): void;
  /** asks for a KeyboardInterrupt in the running cell; absent where the level can only kill */
  readonly interrupt?: (cell: number) => void;
  /** ends the kernel for good */
  kill(): Promise<void>;
}
