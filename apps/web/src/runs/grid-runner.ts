import { useSyncExternalStore } from 'react';
import { newRecordId } from '../storage/record-id.js';
import { claimPrestarted, liveRun } from './browser-runner.js';
import { GridQueue, gridCells, statusOfEndReason, type GridCell } from './grid.js';
import { setLive } from './live-store.js';
import type { RunSecrets, RunSettings } from './run-settings.js';

/** The grid queued in this tab (one at a time), with what it was started from. */
export interface GridRun {
  benchmark: string;
  modelSource: RunSettings['model']['source'];
  queue: GridQueue;
  cells: GridCell[];
  running: boolean;
}

let current: GridRun | null = null;
const listeners = new Set<() => void>();

function changed(cells?: GridCell[]): void {
  if (current)
    current = { ...current, cells: cells ?? current.queue.cells, running: current.queue.running };
  for (const l of listeners) l();
}

/** The settings of one cell: its model and scenario, one trial. */
function cellSettings(settings: RunSettings, cell: GridCell): RunSettings {
  return { ...settings, model: { ...settings.model, model: cell.model }, scenario: cell.scenario };
}

/**
 * Queues models × scenarios × settings.trials and runs them one after another in this tab (the run
 * machinery loads with the first). Secrets stay in this closure, in memory, as for a single run.
 */
export function startGrid(
  settings: RunSettings,
  secrets: RunSecrets,
  models: string[],
  scenarios: string[],
): void {
  if (current?.running) throw new Error('a grid is already running in this tab: stop it first');
  // The form's pre-started sandbox (every cell shares the plan): the first trial starts on it.
  let prestarted = claimPrestarted(settings);
  const takePrestarted = () => {
    const taken = prestarted;
    prestarted = Promise.resolve(null);
    return taken;
  };
  const queue = new GridQueue(
    gridCells(models, scenarios, settings.trials),
    async (cell, signal) => {
      const warm = await takePrestarted();
      const { runTrial } = await import('./run-trial.js').catch((error: unknown) => {
        warm?.discard();
        throw error;
      });
      const recordId = newRecordId();
      const one = cellSettings(settings, cell);
      setLive(liveRun(recordId, one, cell.trialIndex, () => queue.stop()));
      const result = await runTrial(recordId, one, secrets, signal, {
        trialIndex: cell.trialIndex,
        prestarted: warm,
      });
      return { recordId, status: statusOfEndReason(result.endReason), detail: null };
    },
    (cells) => changed(cells),
  );
  current = {
    benchmark: settings.benchmark,
    modelSource: settings.model.source,
    queue,
    cells: queue.cells,
    running: false,
  };
  // Stopped before its first trial took it: not needed.
  void queue.run().finally(() => void takePrestarted().then((warm) => warm?.discard()));
  changed();
}

/** Re-runs the current grid's errored (and stopped or never started) cells as the same trials. */
export function rerunErroredTrials(): void {
  if (!current) return;
  void current.queue.rerunErrored();
  changed();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The grid of this tab, or null. */
export function useGrid(): GridRun | null {
  return useSyncExternalStore(subscribe, () => current);
}
