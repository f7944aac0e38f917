import type { z } from 'zod';
import type { CheckOutcome } from './checks/table.js';
import type { Reexecute } from './checks/counterfactual.js';
import type { CounterfactualRecord } from './run-folder/counterfactual-record.js';
import type { RunFolder } from './run-folder/read.js';
import type { RunJson } from './run-folder/run-json.js';
import type { ScorecardDiagnostic, ScorecardPrecision } from './run-folder/scorecard.js';

/**
 * A benchmark's scoring as the scorer sees it (inspect_ai's "scorer" half of a task). The scorer owns
 * what every benchmark shares — reading the run folder, the trace, evidence rules, the counterfactual
 * re-execution, assembling checks into a scorecard — and calls these for what is the benchmark's own.
 * `@localds/benchmarks` implements it per benchmark; the scorer never imports a benchmark.
 */

/** One check of a benchmark's table: id, label and points, in the order a scorecard lists them. */
export interface CheckSpec {
  id: string;
  label: string;
  max: number;
}

/** One row of a benchmark's dataset: column name → JSON scalar, exactly as PostgREST returns it. */
export type DataRow = Record<string, string | number | boolean | null>;

export type ScoreMode = 'compat' | 'full';

/** What a benchmark's `score` receives. */
export interface ScoringContext<Row extends DataRow, Oracle> {
  folder: RunFolder;
  /** run.json when it parsed; null for a bare folder (compat only). */
  run: RunJson | null;
  mode: ScoreMode;
  /** The oracle the caller gave (an oracle file, or computed), or the one computed from `rows`. */
  oracle: Oracle | null;
  /** The rows the run saw: given, or run.json's snapshot; null when neither exists. */
  rows: readonly Row[] | null;
  /** Full mode's counterfactual re-execution, supplied by the agent package; absent → stored outcome. */
  reexecute: Reexecute | undefined;
}

/** What a benchmark's `score` returns: an outcome for every check id of its table, and its extras. */
export interface ScoringResult {
  outcomes: Record<string, CheckOutcome>;
  notes: string[];
  /** The tighter-tolerance block, where the benchmark has one and an oracle exists. */
  precision: ScorecardPrecision | null;
  /** Which usual wrong definitions the run's values follow. */
  diagnostics: ScorecardDiagnostic[];
  /** A counterfactual re-execution's outcome run here, for run.json; null otherwise. */
  counterfactual: CounterfactualRecord | null;
}

export interface BenchmarkScoring<Row extends DataRow = DataRow, Oracle = unknown> {
  /** The benchmark's checks; their points sum to the scorecard's total. */
  checks: readonly CheckSpec[];
  /** The zod schema of one dataset row (validates snapshots, `--data` files and served rows). */
  rowSchema: z.ZodType<Row>;
  /** The oracle of a dataset: every figure the checks compare against, computed from these rows. */
  computeOracle(rows: readonly Row[]): Oracle;
  /** An oracle file's JSON (`localds score --oracle`), in the forms the benchmark accepts; throws a clear error. */
  parseOracle(json: unknown): Oracle;
  /** Judges a run: every check id of `checks`, in compat or full mode. */
  score(context: ScoringContext<Row, Oracle>): Promise<ScoringResult>;
}
