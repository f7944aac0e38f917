import { useSyncExternalStore } from 'react';

/**
 * What the live run view shows while a trial runs in this tab. Kept in memory only: IndexedDB
 * holds the durable record (saved after every turn and cell); this holds what streams between.
 */
export interface LiveTurn {
  turn: number;
  answer: string;
  reasoning: string;
  /** The turn's tool calls as they stream in (the `tools` protocol), by position. */
  toolCalls?: LiveToolCall[];
}

export interface LiveToolCall {
  index: number;
  name: string;
  /** The arguments' JSON text so far. */
  arguments: string;
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
  /** The benchmark being run (its outputs' labels, its figures). */
  benchmarkId: string;
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

/** The turn with one streamed piece of a tool call added (id and name come with the first piece). */
export function withToolCallPiece(
  turn: LiveTurn,
  piece: { index: number; name?: string; arguments: string },
): LiveTurn {
  const calls = [...(turn.toolCalls ?? [])];
  const at = calls.findIndex((c) => c.index === piece.index);
  const call = at < 0 ? { index: piece.index, name: '', arguments: '' } : calls[at]!;
  const next = {
    ...call,
    name: call.name + (piece.name ?? ''),
    arguments: call.arguments + piece.arguments,
  };
  if (at < 0) calls.push(next);
  else calls[at] = next;
  return { ...turn, toolCalls: calls };
}

/**
 * A run_python call's code while its arguments stream in: the `code` string of `{"code": "…`
 * decoded as far as it has arrived, so the live view shows a cell rather than escaped JSON; the
 * raw text when the arguments take another shape.
 */
export function toolCallCode(args: string): string {
  try {
    const whole = JSON.parse(args) as { code?: unknown };
    if (typeof whole.code === 'string') return whole.code;
  } catch {
    // still streaming
  }
  const open = /^\s*\{\s*"code"\s*:\s*"/.exec(args);
  if (!open) return args;
  // The string so far, cut before an escape that has not fully arrived, closed and decoded.
  let body = args.slice(open[0].length).replace(/"\s*\}?\s*$/, '');
  for (let cut = 0; cut < 6; cut++) {
    try {
      return JSON.parse(`"${body}"`) as string;
    } catch {
      body = body.slice(0, -1);
    }
  }
  return args;
}
