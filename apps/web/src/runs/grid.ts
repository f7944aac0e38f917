/**
 * A small grid of trials queued from the run panel: models × scenarios × trials, run one after another
 * in this tab. Each cell is one trial index of one model on one scenario. Re-running errored trials
 * runs again only the cells whose last attempt ended in an environment or harness failure (or was
 * stopped), as the same trial index; a trial that finished is never run again, whatever its score
 * (replacing low scores would bias every mean upwards), as with `localds sweep`.
 */
import { isEnvironmentFailure, type EndReason } from '@localds/scorer';

export type CellStatus = 'queued' | 'running' | 'finished' | 'environment' | 'stopped';

export interface GridCell {
  model: string;
  scenario: string;
  /** 1-based, recorded in run.json: the pair key of paired comparisons. */
  trialIndex: number;
  status: CellStatus;
  /** The record of every attempt, the latest last (an errored attempt stays in history). */
  recordIds: string[];
  /** Why the last attempt did not finish, in words. */
  detail: string | null;
}

/** What one attempt at a cell came to. */
export interface CellOutcome {
  /** Null when nothing was recorded (the sandbox could not start). */
  recordId: string | null;
  status: 'finished' | 'environment' | 'stopped';
  detail: string | null;
}

export const MAX_GRID_CELLS = 60;

/** Every cell of models × scenarios × trials 1…N, model by model (so a model's trials stay together). */
export function gridCells(
  models: readonly string[],
  scenarios: readonly string[],
  trials: number,
): GridCell[] {
  return models.flatMap((model) =>
    scenarios.flatMap((scenario) =>
      Array.from({ length: trials }, (_, i) => ({
        model,
        scenario,
        trialIndex: i + 1,
        status: 'queued' as const,
        recordIds: [],
        detail: null,
      })),
    ),
  );
}

/** A finished trial's end reason as a cell status: the environment's failures are not the model's. */
export function statusOfEndReason(endReason: EndReason): CellOutcome['status'] {
  if (isEnvironmentFailure(endReason)) return 'environment';
  if (endReason === 'aborted') return 'stopped';
  return 'finished';
}

export interface GridProgress {
  total: number;
  /** Cells no longer waiting or running (finished, errored or stopped). */
  ended: number;
  finished: number;
  environment: number;
  stopped: number;
  running: number;
  queued: number;
}

export function gridProgress(cells: readonly GridCell[]): GridProgress {
  const count = (status: CellStatus) => cells.filter((c) => c.status === status).length;
  const finished = count('finished');
  const environment = count('environment');
  const stopped = count('stopped');
  return {
    total: cells.length,
    ended: finished + environment + stopped,
    finished,
    environment,
    stopped,
    running: count('running'),
    queued: count('queued'),
  };
}

/** Cells a re-run takes: errored or stopped ones, and any a stop left waiting. Never a finished one. */
export const needsRerun = (cell: GridCell): boolean =>
  cell.status === 'environment' || cell.status === 'stopped' || cell.status === 'queued';

export type RunCell = (cell: GridCell, signal: AbortSignal) => Promise<CellOutcome>;

/**
 * Runs a grid's cells one at a time. `runCell` does one attempt; `onChange` hears every change of
 * the cells (a fresh array each time, for React).
 */
export class GridQueue {
  private controller: AbortController | null = null;
  cells: GridCell[];

  constructor(
    cells: GridCell[],
    private readonly runCell: RunCell,
    private readonly onChange: (cells: GridCell[]) => void = () => undefined,
  ) {
    this.cells = cells;
  }

  get running(): boolean {
    return this.controller !== null;
  }

  private update(index: number, change: Partial<GridCell>): void {
    this.cells = this.cells.map((c, i) => (i === index ? { ...c, ...change } : c));
    this.onChange(this.cells);
  }

  /** Runs every queued cell in order; resolves when all have ended or the queue was stopped. */
  async run(): Promise<void> {
    if (this.controller) throw new Error('the grid is already running');
    const controller = new AbortController();
    this.controller = controller;
    try {
      for (let i = 0; i < this.cells.length; i++) {
        if (controller.signal.aborted) break;
        if (this.cells[i]!.status !== 'queued') continue;
        this.update(i, { status: 'running', detail: null });
        let outcome: CellOutcome;
        try {
          outcome = await this.runCell(this.cells[i]!, controller.signal);
        } catch (error) {
          // The harness failed before or around the trial: not the model's doing.
          outcome = {
            recordId: null,
            status: 'environment',
            detail: error instanceof Error ? error.message : String(error),
          };
        }
        const cell = this.cells[i]!;
        this.update(i, {
          status: outcome.status,
          detail: outcome.detail,
          recordIds: outcome.recordId ? [...cell.recordIds, outcome.recordId] : cell.recordIds,
        });
      }
    } finally {
      this.controller = null;
      this.onChange(this.cells);
    }
  }

  /** Queues again the cells that need it (see needsRerun) and runs them; finished cells stay as they are. */
  rerunErrored(): Promise<void> {
    if (this.controller) throw new Error('the grid is still running');
    this.cells = this.cells.map((c) => (needsRerun(c) ? { ...c, status: 'queued' } : c));
    this.onChange(this.cells);
    return this.run();
  }

  /** Stops the running trial (recorded as stopped) and leaves the rest queued. */
  stop(): void {
    this.controller?.abort();
  }
}
