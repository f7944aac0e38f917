// The page's model adapters for a run of either kind: an OpenAI-compatible server or a WebLLM model in
// a worker. (Replays are built by each kind's runner from its own script.)
import { createOpenAIModel, type ChatModel } from '@localds/agent/model';
import { PROVIDER_OF_KIND } from '@localds/agent/run';
import type { AppConfig } from '@localds/agent/webllm';
import { loadSettings } from '../storage/settings.js';
import type { ModelChoice } from './run-settings.js';

/**
 * run.json's provider name for each model source a page form offers: the agent's, known before the
 * model is built (so a record saved that early has it too); the scripted demo is a replay.
 */
export const PROVIDER_OF_SOURCE = { ...PROVIDER_OF_KIND, scripted: PROVIDER_OF_KIND.replay };

/** WebLLM's prebuilt config with weights and model libraries fetched from `base` (air-gapped hosts). */
export function withModelBase(config: AppConfig, base: string): AppConfig {
  if (!base) return config;
  const last = (url: unknown) => String(url).replace(/\/+$/, '').split('/').pop() ?? '';
  return {
    ...config,
    model_list: config.model_list.map((r) => ({
      ...r,
      // Hugging Face URLs end in the repo name (…/mlc-ai/<repo>); libraries in the .wasm file name.
      model: `${base}${last(r['model'])}/`,
      model_lib: `${base}${last(r['model_lib'])}`,
    })),
  };
}

export function openAIChatModel(
  choice: Extract<ModelChoice, { source: 'openai' }>,
  apiKey: string,
): ChatModel {
  return createOpenAIModel({
    baseUrl: choice.endpoint,
    model: choice.model,
    ...(apiKey ? { apiKey } : {}),
    ...(choice.readTimeoutSeconds ? { readTimeoutMs: choice.readTimeoutSeconds * 1000 } : {}),
  });
}

/** A WebLLM model in its own worker, weights from Settings' base URL when set. */
export async function webLLMChatModel(
  choice: Extract<ModelChoice, { source: 'webllm' }>,
  onProgress: (report: { progress: number; text: string }) => void,
): Promise<ChatModel> {
  // Imported here, not above: WebLLM is ~2 MB gzip that the replay and OpenAI runs never use.
  const { createWebLLMModel, prebuiltWebLLMConfig, webWorkerEngineFactory } =
    await import('@localds/agent/webllm');
  const worker = new Worker(new URL('./webllm.worker.ts', import.meta.url), { type: 'module' });
  return createWebLLMModel({
    modelId: choice.model,
    engineFactory: webWorkerEngineFactory(worker),
    appConfig: withModelBase(prebuiltWebLLMConfig(), loadSettings().webllmModelBase),
    ...(choice.contextWindow ? { contextWindowSize: choice.contextWindow } : {}),
    onProgress: (r) => onProgress({ progress: r.progress, text: r.text }),
  });
}
