export * from './definition.js';
export * from './dataset-format.js';
export * from './figures.js';
export * from './registry.js';
export * from './table.js';
// Each benchmark's own exports, for its tests, fixtures scripts and callers that need its types.
export * from './ab-test-analysis/index.js';
