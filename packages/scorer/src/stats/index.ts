export * from './distributions.js';
export * from './moments.js';
export * from './result.js';
export * from './tests.js';
