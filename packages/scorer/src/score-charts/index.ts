export * from './render.js';
export * from './specs.js';
