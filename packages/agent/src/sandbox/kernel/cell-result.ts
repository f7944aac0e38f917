// The end of a cell, the same at every level. Isomorphic.
import { lostKernel, type KernelLoss } from './lost-kernel.js';
import type { OutputAssembler } from './outputs.js';
import type { RequestLog } from './request-log.js';
import type { CellResult, CellStatus, FigureInfo, NotebookOutput } from '../types.js';

/** What a cell's outcome decides, besides its outputs. */
export interface CellSettlement {
  status: CellStatus;
  /** the kernel is lost: `replaceKernel` runs before the result is returned */
  stateLost: boolean;
  figures: FigureInfo[];
}

export interface CellEnding extends CellSettlement {
  outputs: NotebookOutput[];
  /** performance.now() when the cell was sent to the kernel */
  started: number;
}

/** Settles a cell that took its kernel with it: the error output saying so, and its status. */
export function settleLost(
  assembler: OutputAssembler,
  loss: KernelLoss,
  stateLost: string,
): CellSettlement {
  const { status, error } = lostKernel(loss, stateLost);
  assembler.add(error);
  return { status, stateLost: true, figures: [] };
}

export interface CellAftermath {
  /** starts a fresh kernel (the level skips it once disposed) */
  replaceKernel(): Promise<void>;
  requests: RequestLog;
  /** files the cell wrote or changed, looked at once any lost kernel is gone */
  filesWritten(): Promise<{ name: string; size: number }[]>;
}

/**
 * Builds the cell's result. The duration stops before a lost kernel is replaced (a reboot is not the
 * cell's time); the requests and files are read after, when the old kernel can no longer add to them.
 */
export async function finishCell(ending: CellEnding, after: CellAftermath): Promise<CellResult> {
  const durationMs = Math.round(performance.now() - ending.started);
  if (ending.stateLost) await after.replaceKernel();
  const requests = after.requests.take();
  return {
    status: ending.status,
    outputs: ending.outputs,
    durationMs,
    stateLost: ending.stateLost,
    requests,
    filesWritten: await after.filesWritten(),
    figures: ending.figures,
  };
}
