// Defence in depth inside the child: the JS globals model code could use to get out are replaced before
// any model code runs. Model code can run arbitrary JS here (`import js`, `pyodide.ffi`, `run_js` when code
// generation is allowed), so the real walls are Node's permission model, the child's own network namespace
// and the parent's allow-list; these guards make the common routes fail early with a clear message.

const blockedMessage = (what: string) =>
  `${what} is not available in the localds sandbox (model code may only fetch the run's data URL)`;

/** A stand-in that throws whether it is called or constructed. */
function blocked(what: string): () => never {
  return function blockedApi(): never {
    throw new Error(blockedMessage(what));
  };
}

/** Defines a global that model code can neither reassign nor delete. */
function seal(name: string, value: unknown): void {
  Object.defineProperty(globalThis, name, {
    value,
    writable: false,
    configurable: false,
    enumerable: false,
  });
}

/**
 * Pyodide's NODEFS reads `process.binding('constants').fs` at start-up, but the permission model forbids
 * `process.binding` altogether; answer that one lookup from the public `fs.constants`.
 */
export function shimBindingConstants(proc: NodeJS.Process, fsConstants: object): void {
  // `binding` is deprecated and missing from @types/node.
  const target = proc as unknown as { binding: (name: string) => unknown };
  const original = target.binding.bind(proc);
  target.binding = (name: string) => (name === 'constants' ? { fs: fsConstants } : original(name));
}

/** What `process` looks like to model code: enough for Pyodide's runtime, nothing that reaches the OS. */
function processStandIn(real: NodeJS.Process, cwd: string): object {
  const noWrite = { write: () => true, isTTY: false };
  return {
    platform: real.platform,
    arch: real.arch,
    version: real.version,
    versions: { ...real.versions },
    release: { name: 'node' },
    browser: false,
    env: {},
    argv: ['node'],
    pid: 1,
    exitCode: undefined,
    stdout: noWrite,
    stderr: noWrite,
    cwd: () => cwd,
    umask: () => 0o022,
    getuid: () => 0,
    getgid: () => 0,
    hrtime: real.hrtime.bind(real),
    nextTick: (fn: (...a: unknown[]) => void, ...args: unknown[]) =>
      queueMicrotask(() => fn(...args)),
    emitWarning: () => undefined,
    on: () => undefined,
    binding: blocked('process.binding'),
    dlopen: blocked('process.dlopen'),
    exit: blocked('process.exit'),
    kill: blocked('process.kill'),
    getBuiltinModule: blocked('process.getBuiltinModule'),
  };
}

/** Replaces every global route out of the child; call once Pyodide and its packages are loaded. */
export function lockGlobals(opts: {
  realProcess: NodeJS.Process;
  cwd: string;
  guardedFetch: typeof fetch;
}): void {
  seal('fetch', opts.guardedFetch);
  for (const name of [
    'XMLHttpRequest',
    'WebSocket',
    'EventSource',
    'Worker',
    'SharedWorker',
    'importScripts',
    'BroadcastChannel',
    'require',
  ]) {
    seal(name, blocked(name));
  }
  seal('process', processStandIn(opts.realProcess, opts.cwd));
  // ESM has no module/exports globals, but make sure nothing CommonJS-shaped is left to find.
  for (const name of ['module', 'exports', '__filename', '__dirname']) seal(name, undefined);
}

/** Python-side guards: routes Pyodide would turn into a fatal error become a clear exception instead. */
export const PYTHON_GUARDS = String.raw`
import os, posix
def _localds_no_processes(*args, **kwargs):
    raise PermissionError('child processes are not allowed in the localds sandbox')
for _mod in (os, posix):
    for _name in ('system', 'popen', 'fork', 'forkpty', 'execv', 'execve', 'spawnv', 'spawnve', 'posix_spawn', 'posix_spawnp'):
        if hasattr(_mod, _name):
            setattr(_mod, _name, _localds_no_processes)
del _mod, _name
`;
