export {};
export * from './sandbox/index.js';
