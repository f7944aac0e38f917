// The sandbox contract and the pieces every level shares; isomorphic. The Node-only levels
// (Pyodide child, native CPython) are exported from `@localds/agent/node`.
//
// Layout: types.ts (the PythonSandbox contract); kernel/ (the one cell lifecycle, KernelSandbox, over
// the KernelTransport interface, with its options, outputs and the Python kernel, kernel.py);
// network/ (model code's network: allow-list, embedded data endpoint, records); files/ (run
// directories); then one folder per transport: browser/ (a Web Worker), pyodide-child/ (Pyodide in a
// Node child process) and native/ (CPython, under bubblewrap), with process/ and pyodide/ holding
// what two of them share (a kernel process; a Pyodide host).
export type * from './types.js';
export {
  answerRequest,
  handlerNetwork,
  isAllowed,
  NO_NETWORK,
  redactUrl,
  type NetworkAnswer,
  type SandboxNetwork,
} from './network/network.js';
export { KernelSandbox, type LevelWording, type SandboxFiles } from './kernel/kernel-sandbox.js';
export type { CellEnd, KernelTransport, TransportEvent } from './kernel/transport.js';
export {
  resolveSandboxOptions,
  SANDBOX_DEFAULTS,
  type ResolvedSandboxOptions,
  type SandboxOptions,
} from './kernel/options.js';
export { OutputAssembler, StreamLimiter, truncationMarker } from './kernel/outputs.js';
export { KERNEL_PY } from './kernel/kernel-py.js';
export { SerialQueue } from './kernel/serial-queue.js';
