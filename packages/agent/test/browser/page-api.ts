// The contract between the test page (main.ts, in Chromium) and the suite (in Node).
import type { CellResult, FileInfo } from '../../src/sandbox/types.js';

/** The URL prefix model code may reach; it is answered by the page's fetchHandler, never the network. */
export const DATA_PREFIX = 'https://data.localds.test/rest/v1/';

export interface PageOptions {
  timeoutMs?: number;
  outputLimitBytes?: number;
  wasmMemoryMb?: number;
  packages?: string[];
  packageIndexUrl?: string;
  lockFileUrl?: string;
  codeGeneration?: 'blocked' | 'allowed';
}

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
}
