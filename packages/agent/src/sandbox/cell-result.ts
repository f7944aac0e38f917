// The end of a cell, the same at every level. Isomorphic.
import type { CellResult, CellStatus, FigureInfo, NotebookOutput } from './types.js';
import type { RequestLog } from './request-log.js';

export interface CellEnding {
  status: CellStatus;
  outputs: NotebookOutput[];
  /** the kernel is lost: `replaceKernel` runs before the result is returned */
  stateLost: boolean;
  figures: FigureInfo[];
  /** performance.now() when the cell was sent to the kernel */
  started: number;
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
