export {};
export * from './oracle/index.js';
export * from './stats/index.js';
export * from './run-folder/index.js';
export * from './png.js';
export * from './score.js';
export * from './comparability.js';
export { CHECK_TABLE, CHART_FILES, type CheckOutcome } from './checks/table.js';
export * from './checks/oracle-like.js';
export * from './checks/bootstrap.js';
/** Python's `format(x, '.Ng')`: significant figures, scientific when small (the page's figures too). */
export { formatG } from './checks/py.js';
export type { Reexecute, ReexecuteRequest, ReexecuteResult } from './checks/counterfactual.js';
export * from './diagnostics/index.js';
export * from './precision.js';
