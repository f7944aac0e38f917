export * from './events.js';
export * from './summary.js';
