export type * from './types.js';
export { answerRequest, isAllowed, redactUrl } from './network.js';
export { OutputAssembler, StreamLimiter, truncationMarker } from './outputs.js';
export { KERNEL_PY } from './kernel-py.js';
export { changedFiles, RunDir } from './run-dir.js';
export {
  NodePyodideSandbox,
  type NodeIsolationReport,
  type NodeSandboxOptions,
} from './node/node-sandbox.js';
export type { NetworkWall, Walls } from './node/walls.js';
export {
  DEFAULT_PYODIDE_INDEX,
  defaultPackageCacheDir,
  ensurePackages,
  resolvePackages,
  type EnsuredPackages,
  type EnsurePackagesOptions,
  type LockPackage,
  type PyodideLock,
} from './packages.js';
export {
  createNativeSandbox,
  NativeSandbox,
  type NativeIsolationReport,
  type NativeSandboxOptions,
  type NativeWalls,
} from './native/native-sandbox.js';
export {
  checkPythonEnvironment,
  DEFAULT_PYTHON_BIN,
  REQUIRED_MODULES,
  type PythonEnvironment,
} from './native/python-env.js';
