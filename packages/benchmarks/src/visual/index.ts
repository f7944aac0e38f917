export * from './definition.js';
export * from './observation.js';
export * from './checks.js';
export * from './registry.js';
export * from './probe/srcdoc.js';
export * from './probe/probe-script.js';
export * from './probe/messages.js';
