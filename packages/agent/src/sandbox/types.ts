// The Python sandbox contract shared by every isolation level (browser worker, Node child, native CPython).
// Modelled on inspect_ai's SandboxEnvironment (exec/read/write) and JupyterLite's kernel (pushed nbformat outputs).

export type IsolationLevel =
  'browser-worker' | 'node-pyodide' | 'native-bwrap' | 'native-unisolated';

/** nbformat 4 output objects, exactly as they are written into analysis.ipynb. */
export interface StreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: string;
}
export interface MimeBundle {
  'text/plain'?: string;
  'text/html'?: string;
  /** base64, no data: prefix */
  'image/png'?: string;
}
export interface ExecuteResultOutput {
  output_type: 'execute_result';
  execution_count: number;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface DisplayDataOutput {
  output_type: 'display_data';
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}
export type NotebookOutput = StreamOutput | ExecuteResultOutput | DisplayDataOutput | ErrorOutput;

export type CellStatus = 'ok' | 'error' | 'timeout' | 'interrupted' | 'crashed';

/** One HTTP request made by model code, as recorded in the trace (key redacted). */
export interface RequestRecord {
  method: string;
  /** URL with the `apikey` query parameter removed */
  url: string;
  status: number;
  /** false when the allow-list refused it (status 403, never forwarded) */
  allowed: boolean;
  durationMs: number;
  /**
   * set when the harness refused the request (never forwarded): why, in words, e.g. that the sandbox only
   * answers the run's data URL; the model was answered the same reason
   */
  blocked?: string;
  /** set when the fetch handler itself failed (answered with status 502) */
  error?: string;
  /** rows in the response body when it was a JSON array; null otherwise */
  rowsReturned?: number | null;
  /** the response's `Content-Range` header (e.g. `0-999/4210`), when sent */
  contentRange?: string | null;
  /** the request's `Range` header (e.g. `1000-1999`), when sent */
  rangeHeader?: string | null;
  /**
   * Live Supabase mode (the page): the answer came from the live project, and this says how it
   * differed from the run's snapshot (null: it did not). Absent when the snapshot answered.
   */
  drift?: string | null;
}

export interface FigureInfo {
  title?: string;
  xlabel?: string;
  ylabel?: string;
  filename?: string;
}

export interface FileInfo {
  /** path relative to the run directory, '/'-separated */
  name: string;
  size: number;
  mtimeMs: number;
}

export interface CellResult {
  status: CellStatus;
  outputs: NotebookOutput[];
  durationMs: number;
  /** true when the kernel was restarted during this cell: every variable and import is gone */
  stateLost: boolean;
  requests: RequestRecord[];
  filesWritten: { name: string; size: number }[];
  figures: FigureInfo[];
  /**
   * The kernel's peak memory while the cell ran, in bytes, where its level can read it: Pyodide's wasm
   * heap (which never shrinks, so it includes earlier cells' peak) or CPython's peak resident set
   * since the cell started. Absent when the kernel did not finish the cell or could not read it.
   */
  peakMemoryBytes?: number;
}

export interface RunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface PythonSandbox {
  readonly isolation: IsolationLevel;
  /** resolves once the kernel can run cells; rejects with the reason it could not start */
  readonly ready: Promise<void>;
  run(code: string, opts?: RunOptions): Promise<CellResult>;
  listFiles(): Promise<FileInfo[]>;
  readFile(name: string): Promise<Uint8Array>;
  writeFile(name: string, bytes: Uint8Array): Promise<void>;
  /** a fresh interpreter; files in the run directory are kept */
  restart(): Promise<void>;
  dispose(): Promise<void>;
  /**
   * What the level established about its walls and limits (level, namespaces, how a runaway cell is
   * stopped, limits), for run.json; host paths are made portable by the caller.
   */
  isolationReport(): object;
}

/** What model code's HTTP request looks like when it reaches the harness. */
export interface SandboxRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}
export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}
/** Supplied by the harness (e.g. the embedded data endpoint); answers allowed requests. */
export type FetchHandler = (req: SandboxRequest) => Promise<SandboxResponse>;
