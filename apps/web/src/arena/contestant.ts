import type { VisualRunRecord } from '../storage/visual-record.js';

/** One run as the arena shows it: its file and, hidden until the vote, whose it is. */
export interface Contestant {
  /** The run's own id (run.json's), stable across export and import: what a vote names. */
  runId: string;
  model: string;
  scripted: boolean;
  html: string;
}

/**
 * The model a vote names. A scripted replay is labelled as such, so its votes are never pooled with a
 * live model of the same name.
 */
export function arenaModel({ model, scripted }: { model: string; scripted: boolean }): string {
  return scripted ? `${model} (scripted)` : model;
}

/** The run as a contestant; null for a run that produced no file (nothing to watch). */
export function contestantOf(run: VisualRunRecord): Contestant | null {
  if (run.html === null) return null;
  return { runId: run.runId, model: run.model.name, scripted: run.scripted, html: run.html };
}
