// Sandbox factories for Node: Pyodide in a child process, or the user's own CPython.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import {
  createNativeSandbox,
  type NativeSandboxOptions,
} from '../sandbox/native/native-sandbox.js';
import { NodePyodideSandbox, type NodeSandboxOptions } from '../sandbox/node/node-sandbox.js';
import type { SandboxFactory } from '../run/sandbox-factory.js';

const require = createRequire(import.meta.url);

/** The pinned Pyodide release and the Python it ships, from the npm package. */
export function pyodideVersions(): { pyodide: string; python: string | null } {
  const dir = dirname(require.resolve('pyodide/package.json'));
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    version: string;
  };
  let python: string | null = null;
  try {
    const lock = JSON.parse(readFileSync(join(dir, 'pyodide-lock.json'), 'utf8')) as {
      info?: { python?: string };
    };
    python = lock.info?.python ?? null;
  } catch {
    // an unreadable lock only costs the version in run.json
  }
  return { pyodide: version, python };
}

export type PyodideFactoryOptions = Omit<
  NodeSandboxOptions,
  'fetchHandler' | 'allowedUrlPrefixes' | 'timeoutMs'
>;

/** Pyodide in a Node child process (the `node-pyodide` level). */
export function pyodideSandboxFactory(options: PyodideFactoryOptions = {}): SandboxFactory {
  const { python } = pyodideVersions();
  return async (setup) => ({
    sandbox: new NodePyodideSandbox({ ...options, ...setup }),
    pythonVersion: python,
  });
}

export type NativeFactoryOptions = Omit<
  NativeSandboxOptions,
  'fetchHandler' | 'allowedUrlPrefixes' | 'timeoutMs'
>;

/** The user's CPython (bubblewrap when it works here, else unisolated with a warning). */
export function nativeSandboxFactory(options: NativeFactoryOptions = {}): SandboxFactory {
  return async (setup) => {
    const sandbox = await createNativeSandbox({ ...options, ...setup });
    return {
      sandbox,
      ...(sandbox.warning ? { warning: sandbox.warning } : {}),
      pythonVersion: null,
    };
  };
}
