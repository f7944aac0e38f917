// Node-only (`@localds/agent/node`): the Pyodide-child and native CPython sandboxes, package
// caching, writing a run folder, sandbox factories.
export * from '../sandbox/node-levels.js';
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
