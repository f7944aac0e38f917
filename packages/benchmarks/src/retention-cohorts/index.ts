// The retention-cohorts benchmark's exports, for its tests, scripts and callers that need its types.
export * from './benchmark.js';
export * from './checks.js';
export * from './cohort-csv.js';
export * from './definitions.js';
export * from './diagnostics.js';
export * from './events.js';
export * from './generator.js';
export * from './identity.js';
export * from './oracle.js';
export * from './oracle-types.js';
export * from './presentation.js';
export * from './scenarios.js';
export * from './summary.js';
export * from './task.js';
