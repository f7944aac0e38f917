// The options every isolation level takes, under one set of names and defaults. Isomorphic. A level
// adds only what is its own (a run directory, Pyodide's URLs, bwrap's flags) and its memory default.
import type { SandboxNetwork } from '../network/network.js';

export interface SandboxOptions {
  /** model code's only network (the run's data endpoint); default: every request is refused */
  network?: SandboxNetwork;
  /** default per-cell timeout; default 120 s */
  timeoutMs?: number;
  /**
   * where the level can interrupt a cell (KeyboardInterrupt, state kept): how long it may take to stop
   * before the kernel is replaced; default 3 s
   */
  interruptGraceMs?: number;
  /** stdout+stderr kept per cell; the rest is counted and dropped in the kernel; default 1 MiB */
  maxOutputBytes?: number;
  /** rich outputs (results, figures, errors) kept per cell; default 16 MiB */
  maxRichOutputBytes?: number;
  /** longest repr/_repr_html_ kept in a result; default 100 000 characters */
  maxReprChars?: number;
  /**
   * the kernel's memory ceiling in MiB: Pyodide's wasm heap (default 1024 in the browser, 2048 in a Node
   * child) or the CPython process's address space (RLIMIT_AS, default 4096; 0 = none)
   */
  memoryLimitMB?: number;
  /**
   * Keep a second kernel booted in the background so a restart (timeout, crash, restart()) swaps it in
   * at once instead of waiting for a boot; costs one more idle kernel. Default false.
   */
  spareKernel?: boolean;
}

export type ResolvedSandboxOptions = Required<Omit<SandboxOptions, 'network'>> & {
  network: SandboxNetwork | undefined;
};

export const SANDBOX_DEFAULTS = {
  timeoutMs: 120_000,
  interruptGraceMs: 3000,
  maxOutputBytes: 1024 * 1024,
  maxRichOutputBytes: 16 * 1024 * 1024,
  maxReprChars: 100_000,
  spareKernel: false,
} as const;

/** The options with every default filled in; `memoryLimitMB` defaults to the level's own. */
export function resolveSandboxOptions(
  options: SandboxOptions,
  levelMemoryLimitMB: number,
): ResolvedSandboxOptions {
  return {
    network: options.network,
    timeoutMs: options.timeoutMs ?? SANDBOX_DEFAULTS.timeoutMs,
    interruptGraceMs: options.interruptGraceMs ?? SANDBOX_DEFAULTS.interruptGraceMs,
    maxOutputBytes: options.maxOutputBytes ?? SANDBOX_DEFAULTS.maxOutputBytes,
    maxRichOutputBytes: options.maxRichOutputBytes ?? SANDBOX_DEFAULTS.maxRichOutputBytes,
    maxReprChars: options.maxReprChars ?? SANDBOX_DEFAULTS.maxReprChars,
    memoryLimitMB: options.memoryLimitMB ?? levelMemoryLimitMB,
    spareKernel: options.spareKernel ?? SANDBOX_DEFAULTS.spareKernel,
  };
}

/** The limits every level reports in its isolationReport(), under the same names. */
export function reportedLimits(opts: ResolvedSandboxOptions): {
  memoryLimitMB: number;
  maxOutputBytes: number;
  maxRichOutputBytes: number;
  timeoutMs: number;
} {
  const { memoryLimitMB, maxOutputBytes, maxRichOutputBytes, timeoutMs } = opts;
  return { memoryLimitMB, maxOutputBytes, maxRichOutputBytes, timeoutMs };
}
