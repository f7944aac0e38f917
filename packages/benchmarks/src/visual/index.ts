export * from './definition.js';
export * from './observation.js';
export * from './checks.js';
export * from './registry.js';
