import { z } from 'zod';
import type { EventRow } from './events.js';

/**
 * What every benchmark in the registry declares. Validated with zod when a benchmark is defined,
 * so a malformed definition fails at import time with the offending field named.
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

export const NotebookSectionSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string().min(1),
  /** Case-insensitive patterns whose presence in a section's cells suggests it was written; notes, not gates. */
  keywords: z.array(RegexSourceSchema).min(1),
});
export type NotebookSection = z.infer<typeof NotebookSectionSchema>;

export const RequiredOutputSchema = z.object({
  file: z.string().regex(/^[\w.-]+$/, 'a plain file name in the working directory'),
  kind: z.enum(['json', 'png']),
  description: z.string().min(1),
});
export type RequiredOutput = z.infer<typeof RequiredOutputSchema>;

/** Produces a benchmark's dataset for a named scenario and optional seed. */
export type DatasetGenerator = (scenario?: string, seed?: number) => EventRow[];

export const BenchmarkDefinitionSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lowercase slug'),
  title: z.string().min(1),
  description: z.string().min(1),
  /** Semantic version; bumped whenever the task text, definitions or generated data change. */
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'a semantic version like 1.0.0'),
  /** The prompt given to the model, complete on its own. */
  task: z.string().min(200),
  dataAccess: z.object({
    /** File in the working directory with the endpoint and headers. */
    configFile: z.string().min(1),
    table: z.string().min(1),
    /** Rows the endpoint returns per request at most (Supabase's default cap). */
    maxRowsPerRequest: z.number().int().positive(),
  }),
  /** Files the run must write; the notebook itself is recorded by the harness. */
  requiredOutputs: z.array(RequiredOutputSchema).min(1),
  notebook: z.object({
    file: z.string().regex(/\.ipynb$/),
    sections: z.array(NotebookSectionSchema).min(1),
  }),
  /** zod schema of the structured summary the run writes (e.g. summary.json). */
  summarySchema: z.custom<z.ZodType>((value) => value instanceof z.ZodType, {
    message: 'must be a zod schema',
  }),
  /** Python packages the task needs in the sandbox. */
  pythonPackages: z.array(z.string().min(1)).min(1),
  /** The metric and decision definitions, exported for the oracle. */
  definitions: z.record(z.string(), z.unknown()),
  dataset: z.object({
    scenarios: z.array(z.string().min(1)).min(1),
    defaultScenario: z.string().min(1),
    generate: z.custom<DatasetGenerator>((value) => typeof value === 'function', {
      message: 'must be a function',
    }),
  }),
});
export type BenchmarkDefinition = z.infer<typeof BenchmarkDefinitionSchema>;

/**
 * Validates a definition and returns it with its precise type intact, so that a benchmark's own
 * fields (e.g. its typed `definitions`) stay typed for callers.
 */
export function defineBenchmark<T extends BenchmarkDefinition>(definition: T): T {
  const result = BenchmarkDefinitionSchema.safeParse(definition);
  if (!result.success) {
    const id = typeof definition.id === 'string' ? definition.id : '(no id)';
    throw new TypeError(`invalid benchmark definition "${id}": ${z.prettifyError(result.error)}`);
  }
  if (!definition.dataset.scenarios.includes(definition.dataset.defaultScenario)) {
    throw new TypeError(
      `invalid benchmark definition "${definition.id}": default scenario "${definition.dataset.defaultScenario}" is not one of its scenarios`,
    );
  }
  return definition;
}
