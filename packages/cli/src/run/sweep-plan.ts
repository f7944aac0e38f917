// The plan of a sweep, decided before any model is called: the grid of cells (models × benchmarks ×
// scenarios × seeds × trials, in that order), the share of it this shard runs, and which cells the
// run folders already under --out have finished. Pure functions: the scheduler only executes them.
import { isEnvironmentFailure, type Protocol, type RunJson } from '@localds/scorer';
import { InvalidArgumentError } from 'commander';

export interface SweepModel {
  /** the spec as given (`openai:…#…`, `replay:…`) */
  spec: string;
  /** the name its runs record in run.json `model.name` */
  name: string;
  /** what its trials must not flood (a server's base URL) */
  endpoint: string;
  packages: 'full' | 'stdlib-only';
}

export interface SweepCell {
  /** 0-based position in the whole (unsharded) grid: the same on every host */
  index: number;
  model: SweepModel;
  benchmark: string;
  scenario: string;
  seed: number;
  /** 1-based; with benchmark, scenario and seed it pairs this trial with other models' */
  trial: number;
  protocol: Protocol;
}

export interface GridRequest {
  models: readonly SweepModel[];
  benchmarks: readonly string[];
  /** the scenarios of a benchmark the sweep runs */
  scenarios: (benchmark: string) => readonly string[];
  /** explicit seeds, or null for each scenario's own default seed */
  seeds: readonly number[] | null;
  defaultSeed: (benchmark: string, scenario: string) => number;
  trials: number;
  /** how the models are driven (only `fenced` exists today) */
  protocol?: Protocol;
}

/** Every cell of the grid, in a fixed order (so a cell's index means the same thing everywhere). */
export function sweepGrid(request: GridRequest): SweepCell[] {
  const names = new Map<string, string>();
  for (const model of request.models) {
    const other = names.get(model.name);
    if (other !== undefined) {
      throw new Error(
        `--models ${other} and ${model.spec} both record the model name "${model.name}": their trials could not be told apart`,
      );
    }
    names.set(model.name, model.spec);
  }
  const cells: SweepCell[] = [];
  for (const model of request.models)
    for (const benchmark of request.benchmarks)
      for (const scenario of request.scenarios(benchmark))
        for (const seed of request.seeds ?? [request.defaultSeed(benchmark, scenario)])
          for (let trial = 1; trial <= request.trials; trial++)
            cells.push({
              index: cells.length,
              model,
              benchmark,
              scenario,
              seed,
              trial,
              protocol: request.protocol ?? 'fenced',
            });
  return cells;
}

export interface Shard {
  /** 1-based, as Slurm's array index and `--shard 1/2` count */
  index: number;
  count: number;
}

/** Parses `--shard I/N` (1 ≤ I ≤ N). */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new InvalidArgumentError(`must be I/N with 1 ≤ I ≤ N (e.g. 1/4), got "${text}".`);
  }
  return { index, count };
}

/**
 * This shard's cells: every N-th cell of the grid, starting at the I-th. Interleaved rather than in
 * blocks, so each shard gets its share of every model and scenario and the shards take similar time.
 */
export function shardCells(cells: readonly SweepCell[], shard: Shard): SweepCell[] {
  return cells.filter((cell) => cell.index % shard.count === shard.index - 1);
}

/**
 * What identifies a grid cell in a run folder: the model and the comparability key's parts a sweep
 * varies (benchmark, scenario, packages, protocol), the seed and the trial. Null for a run no sweep
 * cell can be (no trial index, rows not from a scenario).
 */
export function runCellKey(run: RecordedRun): string | null {
  const source = run.data.snapshot?.source;
  if (source?.kind !== 'scenario' || run.trial_index === undefined) return null;
  return key(
    run.model.name,
    run.benchmark.id,
    source.scenario,
    source.seed,
    run.trial_index,
    run.environment?.packages ?? 'full',
    run.protocol ?? 'fenced',
  );
}

export function cellKey(cell: SweepCell): string {
  return key(
    cell.model.name,
    cell.benchmark,
    cell.scenario,
    cell.seed,
    cell.trial,
    cell.model.packages,
    cell.protocol,
  );
}

function key(...parts: (string | number)[]): string {
  return JSON.stringify(parts);
}

/**
 * Whether a recorded run finished its cell: anything the model did counts, whatever it scored or
 * however it ended (a model error, a budget); a run the environment or harness failed, or that was
 * stopped before it ended, does not.
 */
export function finishesCell(run: Pick<RunJson, 'end_reason'>): boolean {
  return !isEnvironmentFailure(run.end_reason) && run.end_reason !== 'aborted';
}

/** The parts of a recorded run.json the plan reads. */
export type RecordedRun = Pick<
  RunJson,
  'model' | 'benchmark' | 'data' | 'trial_index' | 'environment' | 'protocol' | 'end_reason'
>;

export interface ResumePlan {
  /** cells to run now, in grid order */
  todo: SweepCell[];
  /** cells a run folder already finished: never run again, whatever their score */
  finished: SweepCell[];
  /** of `todo`, the cells that have a run folder that did not finish (an environment failure, a stop) */
  retried: SweepCell[];
}

/** Splits the cells by the runs already recorded under --out. */
export function planResume(
  cells: readonly SweepCell[],
  recorded: readonly RecordedRun[],
): ResumePlan {
  const finishedKeys = new Set<string>();
  const attemptedKeys = new Set<string>();
  for (const run of recorded) {
    const k = runCellKey(run);
    if (k === null) continue;
    attemptedKeys.add(k);
    if (finishesCell(run)) finishedKeys.add(k);
  }
  const plan: ResumePlan = { todo: [], finished: [], retried: [] };
  for (const cell of cells) {
    const k = cellKey(cell);
    if (finishedKeys.has(k)) plan.finished.push(cell);
    else {
      plan.todo.push(cell);
      if (attemptedKeys.has(k)) plan.retried.push(cell);
    }
  }
  return plan;
}
