export { startStack, stopStack, listStacks } from './stack.js';
export type { StartStackOptions, StopResult, StackEntry } from './stack.js';
export type { StackInfo, StackState } from './state.js';
export { stacksRoot } from './state.js';
export { createFront, GATEWAY_ERRORS } from './front.js';
export type { FrontOptions } from './front.js';
export { signAnonKey } from './anon-key.js';
