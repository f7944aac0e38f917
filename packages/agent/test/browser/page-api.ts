// The contract between the test page (main.ts, in Chromium) and the suite (in Node).
import type { CellResult, FileInfo } from '../../src/sandbox/types.js';

/** The project the test sandboxes serve their data at (the embedded endpoint, inside the worker). */
export const DATA_PROJECT = 'https://data.localds.test';
/** The URL prefix model code may reach; answered by the data endpoint in the worker, never the network. */
export const DATA_PREFIX = `${DATA_PROJECT}/rest/v1/`;
/** The run key the data endpoint accepts (what supabase.json would hold). */
export const DATA_KEY = 'test-run-key';
/** Rows served: the canonical scenario. */
export const DATA_SEED = 119005;

/** Live Supabase mode: forward to `project` with `liveKey`; the snapshot leaves out its last `dropRows`. */
export interface LiveOptions {
  project: string;
  liveKey: string;
  dropRows: number;
}

export interface PageOptions {
  timeoutMs?: number;
  maxOutputBytes?: number;
  memoryLimitMB?: number;
  packages?: string[];
  packageIndexUrl?: string;
  lockFileUrl?: string;
  codeGeneration?: 'blocked' | 'allowed';
  interruptGraceMs?: number;
  live?: LiveOptions;
  /** started before its run: no data endpoint until connectData (see TestApi.connectData) */
  withoutData?: boolean;
}

/** What a call that may be refused gave: done, or the error's message. */
export type Outcome = { ok: true } | { error: string };

export type CreateResult =
  | { bootMs: number; interruptMode: 'interrupt-buffer' | 'terminate'; stages: string[] }
  | { error: string };

export interface TestApi {
  create(name: string, opts: PageOptions): Promise<CreateResult>;
  run(name: string, code: string, timeoutMs?: number): Promise<CellResult>;
  audit(name: string): Promise<{ visited: number; leaks: string[] }>;
  listFiles(name: string): Promise<FileInfo[]>;
  readText(name: string, file: string): Promise<string>;
  writeText(name: string, file: string, text: string): Promise<void>;
  restart(name: string): Promise<void>;
  bootTimes(name: string): number[];
  dispose(name: string): Promise<void>;
  /** BrowserWorkerSandbox.connectData with the test data endpoint */
  connectData(name: string): Promise<Outcome>;
  /** the worker's own connectData, called past the main side's checks: the worker's wall alone */
  connectWorkerData(name: string): Promise<Outcome>;
}
