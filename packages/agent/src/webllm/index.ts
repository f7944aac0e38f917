// WebLLM (in-browser inference on WebGPU) and its device checks, apart from `./model`: a page
// that runs the replay or an OpenAI-compatible server never loads @mlc-ai/web-llm (~2 MB gzip).
export {
  createWebLLMModel,
  hermesMessages,
  webllmToolSupport,
  webWorkerEngineFactory,
  type ChatCompletionChunk,
  type ChatCompletionRequestStreaming,
  type ChatOptions,
  type EngineConfig,
  type InitProgressReport,
  type WebLLMEngine,
  type WebLLMEngineFactory,
  type WebLLMModelOptions,
} from '../model/webllm.js';
export {
  parseAppConfig,
  prebuiltWebLLMConfig,
  webllmCatalog,
  type AppConfig,
  type CatalogEntry,
  type ModelRecord,
} from '../model/webllm-catalog.js';
export {
  canRun,
  detectWebGPU,
  WEBLLM_MINIMUM_LIMITS,
  type AdapterInfo,
  type AdapterLike,
  type CanRun,
  type NavigatorLike,
  type WebGPUStatus,
} from '../model/webgpu.js';
