import { z } from 'zod';

/**
 * The execution trace: what the model's code did, recorded by the sandbox (not claimed by the model).
 * The agent produces it; full-mode checks read it. Values are `null` when the sandbox could not know them.
 */

/** One HTTP request made by a cell. The URL has its secrets removed (see redact.ts). */
export const TraceRequestSchema = z.object({
  cell: z.number().int().nonnegative(),
  method: z.string().min(1),
  url: z.string(),
  /** HTTP status; null when no response arrived (network error, timeout). */
  status: z.number().int().nullable(),
  /** Rows in the response body when it was a JSON array, else null. */
  rows_returned: z.number().int().nonnegative().nullable(),
  /** The table's total from Content-Range (`0-999/4210` → 4210) when the server sent it. */
  total_rows: z.number().int().nonnegative().nullable(),
  /** Whether rows existed beyond this response (from Content-Range or a full page), when known. */
  more_rows: z.boolean().nullable(),
  /** What the request asked for: the first row (offset, `Range` start) and how many (limit), when stated. */
  range: z
    .object({
      offset: z.number().int().nonnegative(),
      limit: z.number().int().nonnegative().nullable(),
    })
    .nullable(),
  error: z.string().nullable().optional(),
  /**
   * Set when the sandbox refused the request (it was never forwarded): the reason, as the model was told
   * it (e.g. that the sandbox only answers the run's data URL). Absent on older traces.
   */
  blocked: z.string().max(1000).nullable().optional(),
  /**
   * Live Supabase mode (the page): the live project answered, and this says how its answer differed
   * from the run's snapshot, which the oracle is computed from (null: identical). Absent otherwise.
   */
  drift: z.string().max(500).nullable().optional(),
});

/** A file written by the run's code (in the run folder's working directory). */
export const TraceFileSchema = z.object({
  cell: z.number().int().nonnegative(),
  name: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256'),
});

/** A matplotlib figure; labels are null when the sandbox could not read them, '' when read and empty. */
export const TraceFigureSchema = z.object({
  cell: z.number().int().nonnegative(),
  filename: z.string().nullable(),
  title: z.string().nullable(),
  x_label: z.string().nullable(),
  y_label: z.string().nullable(),
});

/** `crashed`: the kernel died during the cell (e.g. out of memory) and was restarted. */
export const CellStatusSchema = z.enum(['ok', 'error', 'timeout', 'interrupted', 'crashed']);

export const TraceCellSchema = z.object({
  index: z.number().int().nonnegative(),
  status: CellStatusSchema,
  duration_ms: z.number().nonnegative(),
  /** `{name, message}` of the Python exception (or harness error) when status is not ok. */
  error: z.object({ name: z.string(), message: z.string() }).nullable(),
  /**
   * The kernel's peak memory while the cell ran, in bytes: Pyodide's wasm heap (it never shrinks) or
   * CPython's peak resident set since the cell started. Absent where the level could not read it and
   * on runs written before it was recorded.
   */
  peak_memory_bytes: z.number().int().nonnegative().optional(),
});

/**
 * A tool call that ran nothing (arguments that are not JSON, no `code`, an unknown function): the
 * error is what the model was told. Only `tools`-protocol runs have these.
 */
export const TraceToolErrorSchema = z.object({
  turn: z.number().int().positive(),
  call_id: z.string(),
  name: z.string(),
  error: z.string(),
});

export const TraceSchema = z.object({
  version: z.literal(1),
  /** Absent on fenced runs and on runs written before the `tools` protocol. */
  tool_errors: z.array(TraceToolErrorSchema).optional(),
  requests: z.array(TraceRequestSchema),
  files: z.array(TraceFileSchema),
  figures: z.array(TraceFigureSchema),
  cells: z.array(TraceCellSchema),
});

export type TraceRequest = z.infer<typeof TraceRequestSchema>;
export type TraceFile = z.infer<typeof TraceFileSchema>;
export type TraceFigure = z.infer<typeof TraceFigureSchema>;
export type TraceCell = z.infer<typeof TraceCellSchema>;
export type TraceToolError = z.infer<typeof TraceToolErrorSchema>;
export type CellStatus = z.infer<typeof CellStatusSchema>;
export type Trace = z.infer<typeof TraceSchema>;
