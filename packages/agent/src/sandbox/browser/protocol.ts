// What crosses between the main thread and the sandbox worker. Two private MessageChannels, handed to
// the worker in its first message: `control` (main calls the worker through comlink) and `events`
// (pushed outputs, progress and model code's requests, validated here). The worker runs model code, so
// main trusts nothing it receives beyond these schemas.
import { z } from 'zod';
import type { DataEndpointSpec } from '../network/data-network.js';
import {
  cellEndFields,
  richOutputSchema,
  streamNameSchema,
  wireRequestSchema,
} from '../kernel/wire-schemas.js';

/** The first (and only) message main posts on the worker itself; it carries the two ports. */
export const HANDSHAKE = 'localds-sandbox-handshake';

export type InitStage = 'runtime' | 'filesystem' | 'packages' | 'guards' | 'kernel';
export const INIT_STAGES: readonly InitStage[] = [
  'runtime',
  'filesystem',
  'packages',
  'guards',
  'kernel',
];

export interface WorkerConfig {
  /** URL of the folder holding pyodide.mjs, pyodide.asm.wasm and python_stdlib.zip (ends with '/') */
  pyodideIndexUrl: string;
  /** folder holding the package files (ends with '/'); default: Pyodide's CDN for the loaded version */
  packageIndexUrl?: string;
  /** pyodide-lock.json to resolve packages with; default: the one next to pyodide.mjs */
  lockFileUrl?: string;
  packages: string[];
  /** the run's data endpoint, answered inside the worker; without it every request is refused */
  data?: DataEndpointSpec;
  /** files to put into /work before model code runs (kept across restarts by the main side) */
  files: { name: string; bytes: Uint8Array }[];
  maxOutputBytes: number;
  maxRichOutputBytes: number;
  maxReprChars: number;
  wasmMemoryBytes: number;
  /** present when the page is cross-origin isolated: main writes 2 here to raise KeyboardInterrupt */
  interruptBuffer?: Int32Array;
  /** 'blocked' (default): no eval/Function/string timers; 'allowed' exists only to test the second wall */
  codeGeneration: 'blocked' | 'allowed';
}

export interface CellSummary {
  status: 'ok' | 'error';
  /** the cell ended in KeyboardInterrupt (ours, through the interrupt buffer, or the model's own) */
  keyboardInterrupt: boolean;
  dropped: { stdout: number; stderr: number };
  droppedRich: number;
  figures: { title?: string; xlabel?: string; ylabel?: string; filename?: string }[];
  memoryExhausted: boolean;
  fatal: boolean;
  heapBytes: number;
}

export interface WorkerFile {
  name: string;
  size: number;
  mtimeMs: number;
}

/** What an audit found reachable from model code that should not be. */
export interface AuditReport {
  visited: number;
  leaks: string[];
}

/** Exposed by the worker on the control port. */
export interface SandboxWorkerApi {
  init(config: WorkerConfig): Promise<{ bootMs: number; stageMs: Record<InitStage, number> }>;
  /** the run's data endpoint for a worker started without one (before the run's data were known) */
  connectData(data: DataEndpointSpec): Promise<void>;
  run(cellId: number, code: string): Promise<CellSummary>;
  listFiles(): Promise<WorkerFile[]>;
  readFile(name: string): Promise<Uint8Array>;
  writeFile(name: string, bytes: Uint8Array): Promise<void>;
  /** walks everything reachable from `globalThis` and the Pyodide API for the originals the guards replaced */
  audit(): Promise<AuditReport>;
}

/**
 * A request model code made, as the worker saw it. The main thread answers it again from its own copy
 * of the endpoint to record it: what the worker computed runs beside model code, which can tamper
 * with the worker's intrinsics, so the trace's evidence never rests on it.
 */
export const sandboxRequestSchema = wireRequestSchema(
  z
    .custom<Uint8Array>((b) => b instanceof Uint8Array, 'request body must be bytes')
    .refine((b) => b.length <= 16 * 1024 * 1024, 'request body over 16 MiB'),
).extend({ method: z.string().max(32), url: z.string().max(65_536) });

export const workerEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), stage: z.enum(INIT_STAGES), ms: z.number() }),
  z.object({
    type: z.literal('stream'),
    cell: z.number(),
    name: streamNameSchema,
    text: z.string(),
  }),
  z.object({ type: z.literal('display'), cell: z.number(), output: richOutputSchema }),
  /** sent after a cell's last output: ports do not order messages between each other */
  z.object({ type: z.literal('cell-end'), cell: z.number() }),
  /** model code made a request (the worker answered it; main records it) */
  z.object({ type: z.literal('request'), request: sandboxRequestSchema }),
  /** a guarded API refused a call (e.g. WebSocket); recorded like a refused request */
  z.object({
    type: z.literal('blocked'),
    api: z.string().max(64),
    target: z.string().max(2048),
  }),
]);
export type WorkerEvent = z.infer<typeof workerEventSchema>;

export const cellSummarySchema = z.object({
  ...cellEndFields,
  keyboardInterrupt: z.boolean(),
  memoryExhausted: z.boolean(),
  fatal: z.boolean(),
  heapBytes: z.number(),
});
export const workerFilesSchema = z.array(
  z.object({ name: z.string(), size: z.number(), mtimeMs: z.number() }),
);
