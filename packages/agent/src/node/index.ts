// Node-only helpers (`@localds/agent/node`): writing a run folder, sandbox factories.
export { writeRunFolder } from './write-folder.js';
export {
  checkNativePython,
  nativeSandboxFactory,
  pyodideSandboxFactory,
  pyodideVersions,
  type NativeFactoryOptions,
  type PyodideFactoryOptions,
} from './sandboxes.js';
