export {
  BrowserWorkerSandbox,
  createBrowserSandbox,
  type BrowserIsolationReport,
  type BrowserSandboxOptions,
} from './browser-sandbox.js';
export {
  BLOCKED_CODE_GENERATION,
  BLOCKED_GETTERS,
  BLOCKED_GLOBALS,
  BLOCKED_NAVIGATOR,
} from './guards.js';
export type { InitStage } from './protocol.js';
export { PYODIDE_CDN_ORIGIN, sandboxWorkerCsp } from './csp.js';
