export { runAgent, answerReserve } from './run-agent.js';
export { parseTurn, elideCode, CODE_ELIDED } from './parse.js';
export type { ParsedTurn, TurnSegment, ProseSegment, CodeSegment } from './parse.js';
export {
  SYSTEM_PROMPT,
  TOOLS_SYSTEM_PROMPT,
  initialMessages,
  type PromptBenchmark,
} from './prompt.js';
export {
  fencedProtocol,
  toolsProtocol,
  protocolFor,
  type TurnProtocol,
  type ProtocolTurn,
  type CallOutcome,
} from './protocol.js';
export {
  chooseProtocol,
  type ProtocolChoice,
  type ProtocolRequest,
  type ToolSupport,
} from './choose-protocol.js';
export { RUN_PYTHON, RUN_PYTHON_TOOL, answerCalls, type CheckedCall } from './tool-calls.js';
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
export { resultsMessage, cellReport, noCodeMessage, truncateMiddle } from './results.js';
export type * from './types.js';
export { buildTrace, runJsonParts, type RunJsonParts } from './run-json.js';
