export * from './data/index.js';
export * from './sandbox/index.js';
export * from './model/index.js';
export * from './loop/index.js';
export * from './notebook/index.js';
export * from './sandbox/browser/index.js';
export * from './run/index.js';
