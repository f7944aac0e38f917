export * from './compute.js';
export * from './decision.js';
export * from './raw-stats.js';
export type * from './types.js';
export * from './text.js';
