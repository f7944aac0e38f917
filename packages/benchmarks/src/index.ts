export * from './events.js';
export * from './summary.js';
export * from './random.js';
export * from './dataset-format.js';
export * from './ab-test/definitions.js';
export * from './ab-test/scenarios.js';
export * from './ab-test/generator.js';
