// The sandbox contract and the pieces every level shares; isomorphic. The Node-only levels
// (Pyodide child, native CPython) are exported from `@localds/agent/node`.
export type * from './types.js';
export { answerRequest, isAllowed, redactUrl } from './network/network.js';
export { OutputAssembler, StreamLimiter, truncationMarker } from './kernel/outputs.js';
export { KERNEL_PY } from './kernel/kernel-py.js';
export { SerialQueue } from './kernel/serial-queue.js';
