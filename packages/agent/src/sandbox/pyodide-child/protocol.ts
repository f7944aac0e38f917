// Messages between the parent (NodePyodideSandbox) and its child process. The child runs model code, so
// everything it sends is validated here; the child trusts the parent and imports only the types.
import { z } from 'zod';
import { cellEndFields, cellMessageSchemas, type FetchResult } from '../kernel/wire-schemas.js';
import type { ChannelBody } from './body-channel.js';

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

export type ParentMessage = { type: 'run'; id: number; code: string } | FetchResult<ChannelBody>;

export const childMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), bootMs: z.number() }),
  z.object({ type: z.literal('boot-error'), message: z.string() }),
  ...cellMessageSchemas(z.instanceof(Uint8Array)),
  z.object({
    type: z.literal('result'),
    id: z.number(),
    ...cellEndFields,
    /** Python raised MemoryError or the wasm heap reached its cap: the parent restarts the kernel */
    memoryExhausted: z.boolean(),
    /** Pyodide reported a fatal error: the interpreter cannot be used again */
    fatal: z.boolean(),
  }),
]);
export type ChildMessage = z.infer<typeof childMessageSchema>;
