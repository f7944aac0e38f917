export {};
export * from './oracle/index.js';
export * from './stats/index.js';
export * from './diagnostics/index.js';
export * from './precision.js';
