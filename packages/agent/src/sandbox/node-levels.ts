// Node-only sandbox levels and helpers, re-exported by `@localds/agent/node`.
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
export { cleanStaleTempDirs } from './owned-temp-dir.js';
