// Sandbox factories for Node: Pyodide in a child process, or the user's own CPython.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  createNativeSandbox,
  type NativeSandboxOptions,
} from '../sandbox/native/native-sandbox.js';
import {
  checkPythonEnvironment,
  REQUIRED_MODULES,
  resolvePythonBin,
  type PythonEnvironment,
} from '../sandbox/native/python-env.js';
import {
  NodePyodideSandbox,
  pyodideDir,
  type NodeSandboxOptions,
} from '../sandbox/pyodide-child/pyodide-child-sandbox.js';
import { PYODIDE_VERSION } from '../sandbox/pyodide/packages.js';
import { handlerNetwork, type SandboxNetwork } from '../sandbox/network/network.js';
import type { SandboxFactory, SandboxSetup } from '../run/sandbox-factory.js';

/** The pinned Pyodide release and the Python it ships, from the npm package. */
export function pyodideVersions(): { pyodide: string; python: string | null } {
  let python: string | null = null;
  try {
    const lock = JSON.parse(readFileSync(join(pyodideDir(), 'pyodide-lock.json'), 'utf8')) as {
      info?: { python?: string };
    };
    python = lock.info?.python ?? null;
  } catch {
    // an unreadable lock only costs the version in run.json
  }
  return { pyodide: PYODIDE_VERSION, python };
}

/**
 * A sandbox's isolation report with host paths made portable (the run directory, the home folder):
 * it goes into run.json, which is exported and shared.
 */
export function portableReport(report: object, runDir: string): Record<string, unknown> {
  const under = (dir: string) =>
    new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=/|$)`, 'g');
  const [run, home] = [under(runDir), homedir().length > 1 ? under(homedir()) : null];
  const portable = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const inRun = value.replace(run, '<run-dir>');
      return home ? inRun.replace(home, '~') : inRun;
    }
    if (Array.isArray(value)) return value.map(portable);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, portable(v)]));
    }
    return value;
  };
  return portable(report) as Record<string, unknown>;
}

/** The run decides the network and the time limit (SandboxSetup); the rest is the caller's. */
export type PyodideFactoryOptions = Omit<NodeSandboxOptions, 'network' | 'timeoutMs'>;

/** Model code's network for a run on a Node level: the run's endpoint, answered by the harness. */
function runNetwork(setup: SandboxSetup): SandboxNetwork {
  return handlerNetwork(setup.allowedUrlPrefixes, setup.fetchHandler);
}

/** Pyodide in a Node child process (the `node-pyodide` level). */
export function pyodideSandboxFactory(options: PyodideFactoryOptions = {}): SandboxFactory {
  const { python } = pyodideVersions();
  return async (setup) => {
    const sandbox = new NodePyodideSandbox({
      ...options,
      network: runNetwork(setup),
      timeoutMs: setup.timeoutMs,
    });
    return {
      sandbox,
      pythonVersion: python,
      // Checked by the child before model code runs (a package that did not arrive fails its start).
      loadedPackages: [...(options.packages ?? [])],
      isolationReport: () => portableReport(sandbox.isolationReport(), sandbox.runDir),
    };
  };
}

export type NativeFactoryOptions = Omit<NativeSandboxOptions, 'network' | 'timeoutMs'>;

/** Whether the interpreter can run the benchmark (pandas, scipy, matplotlib, requests); for a check before any run. */
export function checkNativePython(pythonBin?: string): Promise<PythonEnvironment> {
  return checkPythonEnvironment(resolvePythonBin(pythonBin));
}

/** The user's CPython (bubblewrap when it works here, else unisolated with a warning). */
export function nativeSandboxFactory(options: NativeFactoryOptions = {}): SandboxFactory {
  return async (setup) => {
    const sandbox = await createNativeSandbox({
      ...options,
      network: runNetwork(setup),
      timeoutMs: setup.timeoutMs,
    });
    return {
      sandbox,
      ...(sandbox.warning ? { warning: sandbox.warning } : {}),
      // The interpreter imported each of them before the sandbox started (createNativeSandbox).
      loadedPackages: [...REQUIRED_MODULES],
      pythonVersion: sandbox.pythonVersion || null,
      isolationReport: () => portableReport(sandbox.isolationReport(), sandbox.runDir),
    };
  };
}
