import type { BenchmarkScoring, DataRow } from '@localds/scorer';
import { z } from 'zod';

/**
 * What every benchmark declares: everything specific to it, in one object (inspect_ai's
 * `Task(dataset, solver, scorer)`). The agent, the CLI and the page read a benchmark only through this;
 * the scorer receives its `scoring`. A benchmark is one folder under src/ plus one line in registry.ts.
 * Validated with zod when defined, so a malformed definition fails at import with the field named.
 */

/** A regular-expression source; rejected at definition time if it does not compile. */
const RegexSourceSchema = z.string().refine(
  (source) => {
    try {
      new RegExp(source, 'i');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

const SlugSchema = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lowercase slug');

export const NotebookSectionSchema = z.object({
  id: SlugSchema,
  title: z.string().min(1),
  /** Case-insensitive patterns whose presence in a section's cells suggests it was written; notes, not gates. */
  keywords: z.array(RegexSourceSchema).min(1),
});
export type NotebookSection = z.infer<typeof NotebookSectionSchema>;

export const RequiredOutputSchema = z.object({
  file: z.string().regex(/^[\w.-]+$/, 'a plain file name in the working directory'),
  kind: z.enum(['json', 'png', 'csv', 'html']),
  description: z.string().min(1),
  /** How the page titles this output (a chart's caption); defaults to the file name. */
  label: z.string().min(1).optional(),
});
export type RequiredOutput = z.infer<typeof RequiredOutputSchema>;

/** One column of the benchmark's table: its name and its PostgreSQL type (for SQL and `supabase start`). */
export const TableColumnSchema = z.object({
  name: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lowercase SQL identifier'),
  sql: z.enum(['bigint', 'integer', 'double precision', 'text', 'timestamptz']),
  /** The table's primary key (at most one column). */
  primaryKey: z.boolean().optional(),
});
export type TableColumn = z.infer<typeof TableColumnSchema>;

/** Produces a benchmark's dataset for a named scenario and optional seed. */
export type DatasetGenerator<Row extends DataRow = DataRow> = (
  scenario?: string,
  seed?: number,
) => Row[];

/**
 * A benchmark's headline figures in one shape the page (figures table, history, run records) and the CLI
 * show for any benchmark: the oracle's, and the same fields read from a run's summary.json.
 */
export const FiguresSchema = z.object({
  /** The decision fields (e.g. status, recommended_variant), by their summary.json names. */
  decision: z.record(z.string(), z.string().nullable()),
  /** The numeric figures, by their summary.json `raw_stats` names. */
  raw_stats: z.record(z.string(), z.number().nullable()),
  /** Why the oracle decided as it did, one line per rule (the oracle's figures only). */
  reasons: z.array(z.string()).optional(),
});
export type Figures = z.infer<typeof FiguresSchema>;

const isFunction = (message = 'must be a function') =>
  z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', { message });

export const BenchmarkDefinitionSchema = z.object({
  id: SlugSchema,
  title: z.string().min(1),
  description: z.string().min(1),
  /** Semantic version; bumped whenever the task text, definitions or generated data change. */
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'a semantic version like 1.0.0'),
  /** A suite this benchmark belongs to (e.g. `analysis`), whose score combines its benchmarks'. */
  suite: SlugSchema.optional(),
  /** The prompt given to the model, complete on its own. */
  task: z.string().min(200),
  dataAccess: z.object({
    /** File in the working directory with the endpoint and headers. */
    configFile: z.string().min(1),
    table: z.string().regex(/^[a-z_][a-z0-9_]*$/),
    /** Rows the endpoint returns per request at most (Supabase's default cap). */
    maxRowsPerRequest: z.number().int().positive(),
  }),
  /** Files the run must write; the notebook itself is recorded by the harness. */
  requiredOutputs: z.array(RequiredOutputSchema).min(1),
  notebook: z.object({
    file: z.string().regex(/\.ipynb$/),
    sections: z.array(NotebookSectionSchema).min(1),
  }),
  /** zod schema of the structured summary the run writes (summary.json). */
  summarySchema: z.custom<z.ZodType>((value) => value instanceof z.ZodType, {
    message: 'must be a zod schema',
  }),
  /** Python packages the task needs in the sandbox (preflight loads each). */
  pythonPackages: z.array(z.string().min(1)).min(1),
  /** The metric and decision definitions, stated once for the task text and the oracle. */
  definitions: z.record(z.string(), z.unknown()),
  dataset: z.object({
    /** The table's columns in order: JSON key order, CSV header, SQL `create table`. */
    columns: z.array(TableColumnSchema).min(1),
    scenarios: z.array(SlugSchema).min(1),
    defaultScenario: z.string().min(1),
    /** One line per scenario for `--help`, `localds benchmarks` and the page. */
    scenarioDescriptions: z.record(z.string(), z.string()).optional(),
    /** The seed a scenario uses when none is given (recorded in run.json, so the rows can be remade). */
    defaultSeedOf: isFunction(),
    generate: isFunction(),
  }),
  scoring: z.object({
    checks: z
      .array(
        z.object({
          id: z.string().regex(/^[a-z][a-z0-9_]*$/),
          label: z.string(),
          max: z.number().int().positive(),
        }),
      )
      .min(1),
    rowSchema: z.custom<z.ZodType>((value) => value instanceof z.ZodType, {
      message: 'must be a zod schema',
    }),
    computeOracle: isFunction(),
    parseOracle: isFunction(),
    score: isFunction(),
  }),
  /** The headline figures of an oracle and of a run's summary.json, for the page and the CLI. */
  figures: z.object({ ofOracle: isFunction(), ofSummary: isFunction() }),
  /** The oracle as a human-readable report (`localds oracle --format text`); default: its figures. */
  oracleText: isFunction().optional(),
  /** The page's scripted demo run: a replay file (`{"environment": …, "turns": […]}`), stdlib-only. */
  demoReplay: z.unknown(),
});

/** A benchmark, typed by its row and oracle so that its own code keeps precise types. */
export interface BenchmarkDefinition<Row extends DataRow = DataRow, Oracle = unknown> extends Omit<
  z.infer<typeof BenchmarkDefinitionSchema>,
  'dataset' | 'scoring' | 'figures' | 'summarySchema'
> {
  summarySchema: z.ZodType;
  dataset: Omit<
    z.infer<typeof BenchmarkDefinitionSchema>['dataset'],
    'generate' | 'defaultSeedOf'
  > & {
    defaultSeedOf(scenario: string): number;
    generate: DatasetGenerator<Row>;
  };
  scoring: BenchmarkScoring<Row, Oracle>;
  oracleText?(oracle: Oracle, source: string): string;
  figures: {
    ofOracle(oracle: Oracle): Figures;
    /** The same fields from a run's summary.json (any JSON value); null when it is not an object. */
    ofSummary(summary: unknown): Figures | null;
  };
}

/**
 * Any registered benchmark, its row and oracle types erased (the registry's element type): rows are
 * plain data rows and the oracle is opaque; each benchmark's own code keeps the precise types.
 */
export type AnyBenchmark = BenchmarkDefinition<DataRow, unknown>;

/**
 * Validates a definition and returns it with its precise type intact, so that a benchmark's own
 * fields (e.g. its typed `definitions`) stay typed for callers.
 */
export function defineBenchmark<
  Row extends DataRow,
  Oracle,
  T extends BenchmarkDefinition<Row, Oracle>,
>(definition: T & BenchmarkDefinition<Row, Oracle>): T {
  const fail = (why: string): never => {
    const id = typeof definition.id === 'string' ? definition.id : '(no id)';
    throw new TypeError(`invalid benchmark definition "${id}": ${why}`);
  };
  const result = BenchmarkDefinitionSchema.safeParse(definition);
  if (!result.success) fail(z.prettifyError(result.error));
  if (!definition.dataset.scenarios.includes(definition.dataset.defaultScenario)) {
    fail(`default scenario "${definition.dataset.defaultScenario}" is not one of its scenarios`);
  }
  const ids = definition.scoring.checks.map((c) => c.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) fail(`check id "${repeated}" appears twice`);
  for (const scenario of definition.dataset.scenarios) {
    const seed = definition.dataset.defaultSeedOf(scenario);
    if (!Number.isSafeInteger(seed)) fail(`scenario "${scenario}" has no integer default seed`);
  }
  return definition;
}
