// How a run gets its sandbox: the caller (CLI, page) knows which isolation level to build; the run
// supplies the network side (who answers model code's requests, which URL it may reach).
import type { DataEndpointSpec } from '../sandbox/network/data-network.js';
import type { FetchHandler, PythonSandbox } from '../sandbox/types.js';

export interface SandboxSetup {
  /**
   * Answers model code's requests from the run's snapshot (Node levels: the harness answers). The
   * factory may be called while the run's rows are still being read: it then waits for them.
   */
  fetchHandler: FetchHandler;
  /**
   * The same endpoint as data, for a sandbox that serves it itself (the browser worker). A promise, so
   * the kernel can boot while the rows are read; it resolves before the run's first cell.
   */
  data: Promise<DataEndpointSpec>;
  /** URL prefixes model code may request: the run's data endpoint only. */
  allowedUrlPrefixes: string[];
  /** Default per-cell timeout. */
  timeoutMs: number;
}

export interface CreatedSandbox {
  sandbox: PythonSandbox;
  /** Set when the sandbox runs with weaker walls than its level promises (native without bwrap). */
  warning?: string;
  /**
   * The packages the sandbox loaded (and checked) before model code runs; empty for the standard
   * library only. Recorded as run.json's `environment.loaded`.
   */
  loadedPackages?: string[];
  /** The Python version model code runs on, when known. */
  pythonVersion?: string | null;
  /**
   * What the sandbox established about its walls (namespaces, limits, how a runaway cell is stopped),
   * for run.json's `isolation_report`; no host paths, since run folders are shared.
   */
  isolationReport?: () => Record<string, unknown>;
}

export type SandboxFactory = (setup: SandboxSetup) => Promise<CreatedSandbox>;
