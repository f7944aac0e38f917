// The sandbox contract and the pieces every level shares; isomorphic. The Node-only levels
// (Pyodide child, native CPython) are exported from `@localds/agent/node`.
export type * from './types.js';
export { answerRequest, isAllowed, redactUrl } from './network.js';
export { OutputAssembler, StreamLimiter, truncationMarker } from './outputs.js';
export { KERNEL_PY } from './kernel-py.js';
export { SerialQueue } from './serial-queue.js';
