export * from './data/index.js';
export * from './sandbox/index.js';
// WebLLM (`@localds/agent/webllm`) is left out: it needs WebGPU; Node would load ~6 MB for nothing.
export * from './model/index.js';
export * from './loop/index.js';
export * from './notebook/index.js';
export * from './sandbox/browser/index.js';
export * from './run/index.js';
export * from './visual/index.js';
