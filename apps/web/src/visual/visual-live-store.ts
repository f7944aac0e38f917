import type { Observation, VisualScore } from '@localds/benchmarks';
import { useSyncExternalStore } from 'react';

/**
 * What the live view of a visual run shows while it runs in this tab (memory only; IndexedDB holds
 * the record, saved after every turn): each turn's streamed reply, the file it produced, what the
 * render saw and what the model was told; the file being rendered now plays in the probing frame.
 */
export interface VisualLiveTurn {
  turn: number;
  reply: string;
  html: string | null;
  observation: Observation | null;
  feedback: string | null;
}

export type VisualLivePhase =
  'starting' | 'loading-model' | 'asking' | 'rendering' | 'done' | 'failed';

export interface VisualLiveRun {
  recordId: string;
  benchmarkId: string;
  modelName: string;
  scripted: boolean;
  phase: VisualLivePhase;
  startedAt: number;
  modelProgress: { progress: number; text: string } | null;
  turns: VisualLiveTurn[];
  /** The checks' result once the final file is scored. */
  score: VisualScore | null;
  error: string | null;
  stop: () => void;
}

const runs = new Map<string, VisualLiveRun>();
const listeners = new Set<() => void>();

export function setVisualLive(run: VisualLiveRun): void {
  runs.set(run.recordId, run);
  for (const l of listeners) l();
}

/** Applies `change` to a copy of the live run (React sees a new object). */
export function updateVisualLive(
  recordId: string,
  change: (run: VisualLiveRun) => Partial<VisualLiveRun>,
): void {
  const run = runs.get(recordId);
  if (run) setVisualLive({ ...run, ...change(run) });
}

/** The turn `turn` of a live run changed by `change` (added when it is new). */
export function updateVisualTurn(
  recordId: string,
  turn: number,
  change: (t: VisualLiveTurn) => Partial<VisualLiveTurn>,
): void {
  updateVisualLive(recordId, (run) => {
    const existing = run.turns.find((t) => t.turn === turn);
    const base = existing ?? { turn, reply: '', html: null, observation: null, feedback: null };
    const next = { ...base, ...change(base) };
    return {
      turns: existing ? run.turns.map((t) => (t.turn === turn ? next : t)) : [...run.turns, next],
    };
  });
}

export function getVisualLive(recordId: string): VisualLiveRun | undefined {
  return runs.get(recordId);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The live state of a visual run in this tab, or undefined when it is not running here. */
export function useVisualLiveRun(recordId: string): VisualLiveRun | undefined {
  return useSyncExternalStore(subscribe, () => runs.get(recordId));
}
