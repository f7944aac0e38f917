export {};
export * from './oracle/index.js';
export * from './stats/index.js';
