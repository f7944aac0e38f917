import { useSyncExternalStore } from 'react';

/**
 * What the live run view shows while a trial runs in this tab. Kept in memory only: IndexedDB
 * holds the durable record (saved after every turn and cell); this holds what streams between.
 */
export interface LiveTurn {
  turn: number;
  answer: string;
  reasoning: string;
}

export interface LiveCell {
  index: number;
  code: string;
  status: string | null;
  executionCount: number | null;
  outputs: unknown[];
}

export type LivePhase = 'starting' | 'loading-model' | 'running' | 'scoring' | 'done' | 'failed';

export interface LiveRun {
  recordId: string;
  trial: number;
  trials: number;
  modelName: string;
  scripted: boolean;
  phase: LivePhase;
  startedAt: number;
  /** WebLLM's load report (progress 0–1) while the model downloads and compiles. */
  modelProgress: { progress: number; text: string } | null;
  /** Pyodide's init stages as the sandbox reports them (core, packages, …). */
  pyodideStages: string[];
  turns: LiveTurn[];
  cells: LiveCell[];
  /** PNG files as they are written: name → data URL. */
  charts: Record<string, string>;
  completionTokens: number;
  /** Time spent streaming, for tokens per second. */
  streamingMs: number;
  error: string | null;
  /** Set when the run ended because the environment or harness failed (not the model): the detail. */
  environmentError: string | null;
  stop: () => void;
}

const runs = new Map<string, LiveRun>();
const listeners = new Set<() => void>();

export function setLive(run: LiveRun): void {
  runs.set(run.recordId, run);
  for (const l of listeners) l();
}

/** Applies `change` to a copy of the live run (React sees a new object). */
export function updateLive(recordId: string, change: (run: LiveRun) => Partial<LiveRun>): void {
  const run = runs.get(recordId);
  if (run) setLive({ ...run, ...change(run) });
}

export function getLive(recordId: string): LiveRun | undefined {
  return runs.get(recordId);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The live state of a run in this tab, or undefined when it is not running here. */
export function useLiveRun(recordId: string): LiveRun | undefined {
  return useSyncExternalStore(subscribe, () => runs.get(recordId));
}
