// Node-only (`@localds/agent/node`): the Pyodide-child and native CPython sandboxes, package
// caching, writing a run folder, sandbox factories.
export { changedFiles, RunDir } from '../sandbox/files/run-dir.js';
export {
  NodePyodideSandbox,
  type NodeIsolationReport,
  type NodeSandboxOptions,
} from '../sandbox/pyodide-child/pyodide-child-sandbox.js';
export type { NetworkWall, Walls } from '../sandbox/pyodide-child/walls.js';
export {
  DEFAULT_PYODIDE_INDEX,
  defaultPackageCacheDir,
  ensurePackages,
  resolvePackages,
  type EnsuredPackages,
  type EnsurePackagesOptions,
  type LockPackage,
  type PyodideLock,
} from '../sandbox/pyodide/packages.js';
export {
  createNativeSandbox,
  NativeSandbox,
  type NativeIsolationReport,
  type NativeSandboxOptions,
  type NativeWalls,
} from '../sandbox/native/native-sandbox.js';
export {
  checkPythonEnvironment,
  DEFAULT_PYTHON_BIN,
  REQUIRED_MODULES,
  type PythonEnvironment,
} from '../sandbox/native/python-env.js';
export { cleanStaleTempDirs } from '../sandbox/files/owned-temp-dir.js';
export { writeRunFolder } from './write-folder.js';
export {
  checkNativePython,
  nativeSandboxFactory,
  portableReport,
  pyodideSandboxFactory,
  pyodideVersions,
  type NativeFactoryOptions,
  type PyodideFactoryOptions,
} from './sandboxes.js';
