// The wording every level uses when a cell costs the kernel its state, and the status each way of losing
// it maps to. Isomorphic: the browser relay uses it as well as the Node levels.
import type { CellStatus, ErrorOutput } from '../types.js';

const STATE_LOST_PREFIX =
  'the Python kernel was restarted and its state was lost (variables, imports)';
/** The Node levels: the run directory is on disk, so everything in it survives the restart. */
export const STATE_LOST = `${STATE_LOST_PREFIX}; files in the working directory are kept`;
/** The browser level: only files mirrored out of the worker after earlier cells survive the restart. */
export const STATE_LOST_MIRRORED = `${STATE_LOST_PREFIX}; files written by earlier cells are kept`;

/** Why a kernel was replaced after a cell that did finish. */
export const PYODIDE_FATAL = 'Pyodide hit a fatal error';
export const MEMORY_EXHAUSTED = 'the cell exhausted the memory limit';

/** An nbformat error output the harness writes itself (no Python traceback to show). */
export function errorOutput(ename: string, evalue: string): ErrorOutput {
  return { output_type: 'error', ename, evalue, traceback: [`${ename}: ${evalue}`] };
}

/** The error output that follows a finished cell whose kernel had to be replaced anyway. */
export function kernelRestartedError(why: string, stateLost: string): ErrorOutput {
  return errorOutput('KernelRestarted', `${why}; ${stateLost}`);
}

/** How a cell ended without a result, taking the kernel with it. */
export type KernelLoss =
  /** `interruptIgnored`: a KeyboardInterrupt was sent first and the cell did not stop for it */
  | { kind: 'timeout'; timeoutMs: number; interruptIgnored?: boolean }
  | { kind: 'interrupted'; interruptIgnored?: boolean }
  /** the kernel sent more output than the harness holds */
  | { kind: 'flood' }
  /** `detail`: lines (e.g. of the process's stderr) shown under the message, each cut to 200 chars */
  | { kind: 'crashed'; reason: string; detail?: string[] };

/** The status and the error output of a cell whose kernel was lost. */
export function lostKernel(
  loss: KernelLoss,
  stateLost: string,
): { status: CellStatus; error: ErrorOutput } {
  switch (loss.kind) {
    case 'timeout': {
      const ignored = loss.interruptIgnored ? ' and did not stop when interrupted' : '';
      const evalue = `the cell ran longer than ${loss.timeoutMs} ms${ignored}; ${stateLost}`;
      return { status: 'timeout', error: errorOutput('TimeoutError', evalue) };
    }
    case 'interrupted': {
      const how = loss.interruptIgnored ? 'did not stop when interrupted' : 'was interrupted';
      const evalue = `the cell ${how}; ${stateLost}`;
      return { status: 'interrupted', error: errorOutput('KeyboardInterrupt', evalue) };
    }
    case 'flood': {
      const evalue = `the cell flooded the output channel; ${stateLost}`;
      return { status: 'crashed', error: errorOutput('OutputLimitError', evalue) };
    }
    case 'crashed': {
      const tail = (loss.detail ?? []).map((line) => `\n${line.slice(0, 200)}`).join('');
      const evalue = `${loss.reason}; ${stateLost}${tail}`;
      return { status: 'crashed', error: errorOutput('KernelCrashed', evalue) };
    }
  }
}

/** How a kernel process ended, as its parent saw it. */
export interface ProcessExit {
  code: number | null;
  signal: string | null;
}

/** The crash reason of a kernel process that died. */
export function processDied(exit: ProcessExit): string {
  const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
  return `the Python process died (${how})`;
}

/**
 * Waits for the kernel a cell will run on. A kernel that cannot start (e.g. its replacement after a lost
 * kernel fails to boot, or its packages no longer load) is the environment's failure, not the model's:
 * `run()` rejects, which the loop records as `sandbox_error` (an environment failure, never scored).
 */
export async function kernelReady(ready: Promise<void>): Promise<void> {
  try {
    await ready;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`the Python kernel could not be started or restarted: ${why}`, {
      cause: error,
    });
  }
}
