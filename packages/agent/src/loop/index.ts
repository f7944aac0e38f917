export { runAgent, answerReserve } from './run-agent.js';
export { parseTurn, elideCode, CODE_ELIDED } from './parse.js';
export type { ParsedTurn, TurnSegment, ProseSegment, CodeSegment } from './parse.js';
export { SYSTEM_PROMPT, initialMessages, type PromptBenchmark } from './prompt.js';
export {
  fitContext,
  applyElisions,
  messagesSentFor,
  OUTPUT_ELIDED,
  type ConversationEntry,
  type Elision,
  type EntryKind,
  type FitResult,
} from './context.js';
export {
  tokenEstimator,
  calibrated,
  DEFAULT_CHARS_PER_TOKEN,
  MESSAGE_OVERHEAD_TOKENS,
  type TokenEstimator,
} from './tokens.js';
export { resultsMessage, noCodeMessage, truncateMiddle } from './results.js';
export type * from './types.js';
export { buildTrace, runJsonParts, type RunJsonParts } from './run-json.js';
