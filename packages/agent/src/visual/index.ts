export { runVisualAgent, allowedTurns } from './run-visual-agent.js';
export { runVisual, noFileScore, type RunVisualOptions, type VisualRun } from './run-visual.js';
export {
  readReply,
  WRITE_FILE,
  WRITE_FILE_TOOL,
  FILE_NAME,
  type ReplyFile,
  type ReadReply,
  type CheckedFileCall,
} from './file-reply.js';
export { describeObservation, feedbackMessage } from './feedback.js';
export { VISUAL_SYSTEM_PROMPT, VISUAL_TOOLS_SYSTEM_PROMPT } from './prompt.js';
export type * from './types.js';
