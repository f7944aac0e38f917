// Messages between the parent (NodePyodideSandbox) and its child process. The child runs model code, so
// everything it sends is validated here; the child trusts the parent and imports only the types.
import { z } from 'zod';

/** Handed to the child as one JSON argument; no secrets ever go in here. */
export interface ChildConfig {
  /** file: URL of pyodide.mjs */
  pyodideUrl: string;
  /** directory holding pyodide.asm.wasm and python_stdlib.zip */
  indexDir: string;
  /** directory holding pyodide-lock.json and the package files preloaded from it */
  packageDir: string;
  runDir: string;
  packages: string[];
  maxOutputBytes: number;
  maxReprChars: number;
  /** budget for display/execute_result/error outputs per cell (figures are large) */
  maxRichOutputBytes: number;
  wasmMemoryMb: number;
}

export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export type ParentMessage =
  | { type: 'run'; id: number; code: string }
  | {
      type: 'fetch-result';
      id: number;
      status: number;
      headers: Record<string, string>;
      body: Uint8Array;
    };

const mimeBundle = z.object({
  'text/plain': z.string().optional(),
  'text/html': z.string().optional(),
  'image/png': z.string().optional(),
});
const figureInfo = z.object({
  title: z.string().optional(),
  xlabel: z.string().optional(),
  ylabel: z.string().optional(),
  filename: z.string().optional(),
});
export const richOutputSchema = z.discriminatedUnion('output_type', [
  z.object({
    output_type: z.literal('execute_result'),
    execution_count: z.number().int(),
    data: mimeBundle,
    metadata: z.record(z.string(), z.unknown()),
  }),
  z.object({
    output_type: z.literal('display_data'),
    data: mimeBundle,
    metadata: z.record(z.string(), z.unknown()),
  }),
  z.object({
    output_type: z.literal('error'),
    ename: z.string(),
    evalue: z.string(),
    traceback: z.array(z.string()),
  }),
]);
const streamName = z.enum(['stdout', 'stderr']);

export const childMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), bootMs: z.number() }),
  z.object({ type: z.literal('boot-error'), message: z.string() }),
  z.object({ type: z.literal('stream'), id: z.number(), name: streamName, text: z.string() }),
  z.object({ type: z.literal('display'), id: z.number(), output: richOutputSchema }),
  z.object({
    type: z.literal('fetch'),
    id: z.number(),
    request: z.object({
      method: z.string(),
      url: z.string(),
      headers: z.record(z.string(), z.string()),
      body: z.instanceof(Uint8Array).optional(),
    }),
  }),
  z.object({
    type: z.literal('result'),
    id: z.number(),
    status: z.enum(['ok', 'error']),
    dropped: z.object({ stdout: z.number(), stderr: z.number() }),
    /** rich outputs dropped once the cell's rich-output budget was spent */
    droppedRich: z.number(),
    figures: z.array(figureInfo),
    /** Python raised MemoryError or the wasm heap reached its cap: the parent restarts the kernel */
    memoryExhausted: z.boolean(),
    /** Pyodide reported a fatal error: the interpreter cannot be used again */
    fatal: z.boolean(),
  }),
]);
export type ChildMessage = z.infer<typeof childMessageSchema>;
