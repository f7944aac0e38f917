export * from './benchmark-scoring.js';
export * from './stats/index.js';
export * from './random.js';
export * from './run-folder/index.js';
export * from './png.js';
export * from './score.js';
export * from './comparability.js';
// The evidence rules every benchmark's checks share.
export * from './checks/table.js';
export * from './checks/py.js';
export * from './checks/source.js';
export * from './checks/summary.js';
export * from './checks/charts.js';
export * from './checks/data-access.js';
export * from './checks/drift.js';
export * from './checks/sections.js';
export * from './checks/counterfactual.js';
export * from './checks/diagnostic-match.js';
