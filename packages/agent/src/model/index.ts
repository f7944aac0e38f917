// Model adapters without WebLLM: it lives in `@localds/agent/webllm` (src/webllm) so importing this
// entry never pulls @mlc-ai/web-llm into a bundle.
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
