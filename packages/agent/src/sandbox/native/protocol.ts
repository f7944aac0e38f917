// Line-delimited JSON between the parent and the native kernel (driver-py.ts). The kernel runs model code,
// so everything it sends is validated; the shapes shared with the other levels are in wire-schemas.ts.
import { z } from 'zod';
import { cellEndFields, cellMessageSchemas, type FetchResult } from '../kernel/wire-schemas.js';

/** First line the parent sends: the kernel source and the limits applied before model code runs. */
export interface KernelInit {
  type: 'init';
  kernelSource: string;
  maxOutputBytes: number;
  maxRichOutputBytes: number;
  maxReprChars: number;
  /** RLIMIT_AS; 0 = none */
  memoryLimitBytes: number;
  /** RLIMIT_NPROC; 0 = none (it only binds an unprivileged user in its own user namespace) */
  maxProcesses: number;
  /**
   * The kernel runs without a network (bwrap): its raw sockets are refused with the reason, and each
   * attempt is sent to the parent (as a CONNECT to `tcp://host:port`) so the trace records it.
   */
  noNetwork: boolean;
}

export type ParentCommand =
  | KernelInit
  | { type: 'run'; id: number; code: string }
  | { type: 'interrupt'; id: number }
  /** body: base64 */
  | FetchResult<string>;

export const kernelMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), version: z.string() }),
  /** request bodies are base64 */
  ...cellMessageSchemas(z.string()),
  z.object({
    type: z.literal('result'),
    id: z.number(),
    ...cellEndFields,
    interrupted: z.boolean(),
    /** MemoryError left the address space near the ceiling: the parent restarts the kernel */
    memoryExhausted: z.boolean(),
  }),
]);
export type KernelMessage = z.infer<typeof kernelMessageSchema>;
