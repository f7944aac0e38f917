export type * from './types.js';
export { ModelError, type ModelErrorCode, type ModelErrorDetails } from './errors.js';
export { ReasoningSplitter, splitReasoning, type Channel, type Segment } from './reasoning.js';
export { createOpenAIModel, listModels, type OpenAIModelOptions } from './openai.js';
export type { FetchLike, ServerOptions } from './http.js';
export {
  CHARS_PER_TOKEN,
  createReplayModel,
  estimateUsage,
  type ReplayFile,
  type ReplayOptions,
} from './replay.js';
