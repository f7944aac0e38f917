import { z } from 'zod';
import { CounterfactualRecordSchema } from './counterfactual-record.js';
import { ScorecardSchema } from './scorecard.js';
import { TraceSchema } from './trace.js';

/**
 * `run.json`: everything needed to reproduce and re-score a localds run. It never holds a key:
 * URLs are stored without secrets and `serializeRunJson` refuses text that still contains one.
 */

const nonNegInt = z.number().int().nonnegative();

export const SamplingSchema = z.object({
  temperature: z.number().nonnegative().nullable(),
  top_p: z.number().min(0).max(1).nullable(),
  seed: z.number().int().nullable(),
  max_tokens: nonNegInt.nullable(),
});

export const TokenCountsSchema = z.object({
  prompt: nonNegInt,
  completion: nonNegInt,
});

export const TranscriptMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string(),
  /** The model's separate reasoning channel, when the model has one. */
  reasoning: z.string().nullable().optional(),
  started_at: z.string().nullable().optional(),
  duration_ms: z.number().nonnegative().nullable().optional(),
  tokens: TokenCountsSchema.nullable().optional(),
  /** An assistant turn's tool calls (the `tools` protocol), in OpenAI's shape. */
  tool_calls: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        /** The JSON text the model wrote, as sent (it may not be valid JSON). */
        arguments: z.string(),
        /** The server left the call in the text (`<tool_call>…`) instead of parsing it. */
        from_text: z.boolean().optional(),
      }),
    )
    .optional(),
  /** A `tool` message: the call it answers. */
  tool_call_id: z.string().optional(),
});

export const IsolationSchema = z.enum([
  'browser-worker',
  'node-pyodide',
  'native-bwrap',
  'native-unisolated',
]);

/** Why a run ended: the agent loop's own vocabulary, so nothing is lost between the loop and run.json. */
export const EndReasonSchema = z.enum([
  /** The model wrote `DONE`. */
  'done',
  /** A turn had no code and every required output existed. */
  'no_code_outputs_present',
  /** A replay ran out of responses (counts as the model stopping). */
  'model_exhausted',
  'budget_turns',
  'budget_tokens',
  'budget_wall_time',
  /** Stopped by the user (stop button, Ctrl-C). */
  'aborted',
  'model_error',
  'sandbox_error',
  /** The harness itself failed; the run is still recorded. */
  'harness_error',
  /**
   * The environment failed, not the model: packages that would not load, a sandbox that did not start,
   * a kernel lost for a reason other than the model's own code, a model server that refused the
   * connection or died before answering.
   */
  'environment_error',
  /**
   * The harness was killed mid-run (SIGKILL, a crash): the folder holds what it had written after its
   * last cell, with `finished_at` null. An environment-side end, never the model's score.
   */
  'interrupted',
]);

/**
 * End reasons that say nothing about the model: such a run is recorded and shown as what it is, never
 * counted as a model's score. Takes any end reason (a visual run's too: its `environment_error`).
 */
export function isEnvironmentFailure(endReason: EndReason | (string & {})): boolean {
  return (
    endReason === 'environment_error' ||
    endReason === 'sandbox_error' ||
    endReason === 'harness_error' ||
    endReason === 'interrupted'
  );
}

/** How the model was driven: fenced code blocks in text, or native tool calls. */
export const ProtocolSchema = z.enum(['fenced', 'tools']);

/** The Python environment model code had: the benchmark's packages, or the standard library only. */
export const EnvironmentSchema = z.object({
  packages: z.enum(['full', 'stdlib-only']),
  /** The packages that were loaded before the model's first turn. */
  loaded: z.array(z.string()),
});

/** Where the snapshot rows came from. A Supabase source keeps its URL, never its key. */
export const SnapshotSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('scenario'), scenario: z.string(), seed: z.number().int() }),
  z.object({ kind: z.literal('supabase'), url: z.string() }),
  z.object({ kind: z.literal('file'), name: z.string() }),
]);

/** The rows the run saw: gzip of the dataset JSON text, base64, with the sha256 of that JSON text. */
export const SnapshotSchema = z.object({
  encoding: z.literal('gzip+base64'),
  data: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  row_count: nonNegInt,
  source: SnapshotSourceSchema,
});

export const RunJsonSchema = z.object({
  schema_version: z.literal(1),
  run_id: z.string().min(1),
  benchmark: z.object({ id: z.string().min(1), version: z.string() }),
  model: z.object({
    name: z.string().min(1),
    /** The adapter that served it, e.g. `webllm` or `openai-http`. */
    provider: z.string(),
    /** Backend-reported model id/revision (quantisation, file), when known. */
    revision: z.string().nullable().optional(),
  }),
  sampling: SamplingSchema,
  prompts: z.object({ system: z.string(), user: z.string() }),
  transcript: z.array(TranscriptMessageSchema),
  timings: z.object({
    started_at: z.string(),
    finished_at: z.string().nullable(),
    duration_ms: z.number().nonnegative().nullable(),
    model_ms: z.number().nonnegative().nullable().optional(),
    execution_ms: z.number().nonnegative().nullable().optional(),
  }),
  tokens: TokenCountsSchema,
  versions: z.object({
    localds: z.string(),
    benchmark: z.string(),
    scorer: z.string(),
    pyodide: z.string().nullable(),
    python: z.string().nullable().optional(),
  }),
  isolation: IsolationSchema,
  /** Set when the code ran with less isolation than the product's default (e.g. native, unisolated). */
  isolation_warning: z.string().nullable().optional(),
  /** What the sandbox could establish about its walls (namespaces, limits), as it reported them. */
  isolation_report: z.record(z.string(), z.unknown()).nullable().optional(),
  /** True for replayed runs (a scripted adapter, not a live model). */
  scripted: z.boolean(),
  /**
   * Which trial of a repeated run this is, 1-based: `localds run --trials N` writes 1…N, the page's
   * trials count the same way. With the benchmark, scenario and dataset seed it names the pair that a
   * paired comparison matches across models. Absent on runs written before trial indices existed.
   */
  trial_index: z.number().int().positive().optional(),
  /** Absent on runs written before protocols existed: those are `fenced`. */
  protocol: ProtocolSchema.optional(),
  /** How the protocol was chosen: what was asked for (`auto` asks the model) and why. */
  protocol_choice: z
    .object({ requested: z.enum(['fenced', 'tools', 'auto']), reason: z.string() })
    .optional(),
  /** Absent on runs written before the package preflight: those count as `full`. */
  environment: EnvironmentSchema.nullable().optional(),
  end_reason: EndReasonSchema,
  /** One sentence on why, e.g. which budget ran out. */
  end_detail: z.string().nullable().optional(),
  /** The data API the run was given: the table URL (no key) and the rows it served. */
  data: z.object({
    table_url: z.string(),
    snapshot: SnapshotSchema.nullable(),
    /** Model code read the live project (the page's Supabase mode), not the snapshot; see trace drift. */
    live: z.boolean().optional(),
  }),
  trace: TraceSchema.nullable(),
  /** Full mode's counterfactual outcome, stored where the run was scored with a re-execution. */
  counterfactual: CounterfactualRecordSchema.nullable().optional(),
  scorecard: ScorecardSchema.nullable(),
});

export type Sampling = z.infer<typeof SamplingSchema>;
export type TranscriptMessage = z.infer<typeof TranscriptMessageSchema>;
export type Isolation = z.infer<typeof IsolationSchema>;
export type EndReason = z.infer<typeof EndReasonSchema>;
export type Protocol = z.infer<typeof ProtocolSchema>;
export type Environment = z.infer<typeof EnvironmentSchema>;
export type SnapshotSource = z.infer<typeof SnapshotSourceSchema>;
export type Snapshot = z.infer<typeof SnapshotSchema>;
export type RunJson = z.infer<typeof RunJsonSchema>;
