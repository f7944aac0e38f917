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
export {
  createWebLLMModel,
  webWorkerEngineFactory,
  type ChatCompletionChunk,
  type ChatCompletionRequestStreaming,
  type ChatOptions,
  type EngineConfig,
  type InitProgressReport,
  type WebLLMEngine,
  type WebLLMEngineFactory,
  type WebLLMModelOptions,
} from './webllm.js';
export {
  parseAppConfig,
  prebuiltWebLLMConfig,
  webllmCatalog,
  type AppConfig,
  type CatalogEntry,
  type ModelRecord,
} from './webllm-catalog.js';
export {
  canRun,
  detectWebGPU,
  WEBLLM_MINIMUM_LIMITS,
  type AdapterInfo,
  type AdapterLike,
  type CanRun,
  type NavigatorLike,
  type WebGPUStatus,
} from './webgpu.js';
