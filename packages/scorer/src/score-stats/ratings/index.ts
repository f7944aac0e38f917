export * from './bradley-terry.js';
export * from './comparison-graph.js';
export * from './fit-ratings.js';
export * from './resample.js';
export * from './vote.js';
export * from './spd-solve.js';
