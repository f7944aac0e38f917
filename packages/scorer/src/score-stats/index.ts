export * from './bootstrap.js';
export * from './mcnemar.js';
export * from './model-stats.js';
export * from './paired.js';
export * from './pass-k.js';
export * from './summary.js';
export * from './trials.js';
export * from './wilcoxon.js';
