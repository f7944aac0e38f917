// Line-delimited JSON between the parent and the native kernel (driver-py.ts). The kernel runs model code,
// so everything it sends is validated; the rich output shapes are the Node level's.
import { z } from 'zod';
import { richOutputSchema } from '../node/protocol.js';

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
}

export type ParentCommand =
  | KernelInit
  | { type: 'run'; id: number; code: string }
  | { type: 'interrupt'; id: number }
  | {
      type: 'fetch-result';
      id: number;
      status: number;
      headers: Record<string, string>;
      /** base64 */
      body: string;
    };

const figureInfo = z.object({
  title: z.string().optional(),
  xlabel: z.string().optional(),
  ylabel: z.string().optional(),
  filename: z.string().optional(),
});

export const kernelMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), version: z.string() }),
  z.object({
    type: z.literal('stream'),
    id: z.number(),
    name: z.enum(['stdout', 'stderr']),
    text: z.string(),
  }),
  z.object({ type: z.literal('display'), id: z.number(), output: richOutputSchema }),
  z.object({
    type: z.literal('fetch'),
    id: z.number(),
    request: z.object({
      method: z.string(),
      url: z.string(),
      headers: z.record(z.string(), z.string()),
      body: z.string().optional(),
    }),
  }),
  z.object({
    type: z.literal('result'),
    id: z.number(),
    status: z.enum(['ok', 'error']),
    interrupted: z.boolean(),
    dropped: z.object({ stdout: z.number(), stderr: z.number() }),
    droppedRich: z.number(),
    figures: z.array(figureInfo),
    /** MemoryError left the address space near the ceiling: the parent restarts the kernel */
    memoryExhausted: z.boolean(),
  }),
]);
export type KernelMessage = z.infer<typeof kernelMessageSchema>;
