// zod shapes shared by the three kernel protocols (browser worker events, Node child IPC, native kernel
// lines): whatever a kernel sends is validated with these before the harness trusts it. Isomorphic.
import { z } from 'zod';

export const streamNameSchema = z.enum(['stdout', 'stderr']);

const mimeBundleSchema = z.object({
  'text/plain': z.string().optional(),
  'text/html': z.string().optional(),
  'image/png': z.string().optional(),
});

export const figureInfoSchema = z.object({
  title: z.string().optional(),
  xlabel: z.string().optional(),
  ylabel: z.string().optional(),
  filename: z.string().optional(),
});

/** The nbformat outputs a kernel pushes besides streams. */
export const richOutputSchema = z.discriminatedUnion('output_type', [
  z.object({
    output_type: z.literal('execute_result'),
    execution_count: z.number().int(),
    data: mimeBundleSchema,
    metadata: z.record(z.string(), z.unknown()),
  }),
  z.object({
    output_type: z.literal('display_data'),
    data: mimeBundleSchema,
    metadata: z.record(z.string(), z.unknown()),
  }),
  z.object({
    output_type: z.literal('error'),
    ename: z.string(),
    evalue: z.string(),
    traceback: z.array(z.string()),
  }),
]);
export type RichOutput = z.infer<typeof richOutputSchema>;

/** What every kernel reports when a cell finishes: its Python status and what its budgets dropped. */
export const cellEndFields = {
  status: z.enum(['ok', 'error']),
  /** stream bytes counted and dropped past the output budget */
  dropped: z.object({ stdout: z.number(), stderr: z.number() }),
  /** rich outputs dropped once the cell's rich-output budget was spent */
  droppedRich: z.number(),
  figures: z.array(figureInfoSchema),
  /** the kernel's memory high-water mark when the cell ended, in bytes (see CellEnd.peakMemoryBytes) */
  peakMemoryBytes: z.number().nonnegative().optional(),
};

/** Model code's HTTP request as a kernel forwards it; the body's encoding is the transport's. */
export function wireRequestSchema<Body extends z.ZodType>(body: Body) {
  return z.object({
    method: z.string(),
    url: z.string(),
    headers: z.record(z.string(), z.string()),
    body: body.optional(),
  });
}

/**
 * What a kernel process (the Node child, the native kernel) sends while cell `id` runs: its outputs and
 * model code's requests, whose body is encoded as `requestBody` says.
 */
export function cellMessageSchemas<Body extends z.ZodType>(requestBody: Body) {
  return [
    z.object({
      type: z.literal('stream'),
      id: z.number(),
      name: streamNameSchema,
      text: z.string(),
    }),
    z.object({ type: z.literal('display'), id: z.number(), output: richOutputSchema }),
    z.object({ type: z.literal('fetch'), id: z.number(), request: wireRequestSchema(requestBody) }),
  ] as const;
}

/** The harness's answer to a forwarded request (the parent trusts itself: a type, no schema). */
export interface FetchResult<Body> {
  type: 'fetch-result';
  id: number;
  status: number;
  headers: Record<string, string>;
  body: Body;
}
