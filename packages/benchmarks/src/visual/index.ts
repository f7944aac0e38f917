export * from './definition.js';
export * from './observation.js';
export * from './checks.js';
export * from './registry.js';
export * from './run-folder.js';
