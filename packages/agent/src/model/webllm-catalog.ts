// The models WebLLM can load, read from its prebuilt config (pinned with the package version),
// with what each needs from the device.

import { functionCallingModelIds, ModelType, prebuiltAppConfig } from '@mlc-ai/web-llm';
import { z } from 'zod';

// WebLLM's .d.ts files import without extensions, which NodeNext resolution cannot follow, so
// its config types arrive as `any` here. The fields read are declared and checked instead; the
// rest of each record (model URL, model_lib…) passes through untouched for the engine.
const ModelRecordSchema = z.looseObject({
  model_id: z.string(),
  vram_required_MB: z.number().optional(),
  low_resource_required: z.boolean().optional(),
  buffer_size_required_bytes: z.number().optional(),
  required_features: z.array(z.string()).optional(),
  model_type: z.number().optional(),
  overrides: z.looseObject({ context_window_size: z.number().optional() }).optional(),
});
const AppConfigSchema = z.looseObject({ model_list: z.array(ModelRecordSchema) });

export type ModelRecord = z.infer<typeof ModelRecordSchema>;
export type AppConfig = z.infer<typeof AppConfigSchema>;

/** WebLLM's prebuilt config, checked once against the fields this package reads. */
export function prebuiltWebLLMConfig(): AppConfig {
  return AppConfigSchema.parse(prebuiltAppConfig);
}

/** Checks an app config (e.g. a self-hosted model list) against the fields this package reads. */
export function parseAppConfig(config: unknown): AppConfig {
  return AppConfigSchema.parse(config);
}

const EMBEDDING: number = ModelType.embedding;

export interface CatalogEntry {
  id: string;
  /** WebLLM's estimate of the GPU memory the model needs. WebGPU cannot report free VRAM. */
  vramMB: number | undefined;
  /** WebLLM marks models that can run on limited devices (phones). */
  lowResource: boolean;
  /** Context window WebLLM loads the model with (overrides.context_window_size). */
  contextWindow: number | undefined;
  /** WebGPU features the model's shaders need, e.g. 'shader-f16'. */
  requiredFeatures: string[];
  /** Required maxStorageBufferBindingSize, when WebLLM states one. */
  bufferSizeRequiredBytes: number | undefined;
  /**
   * The protocol a run with `auto` uses: `tools` for the models WebLLM does function calling for
   * (`functionCallingModelIds`, its Hermes models), `fenced` for the rest.
   */
  protocol: 'fenced' | 'tools';
}

/**
 * Chat models (embedding models left out) with their device needs. A model needs 'shader-f16'
 * when its record says so or when its quantisation computes in f16 (q4f16_1, q0f16, q3f16_1…):
 * WebLLM's prebuilt config lists required_features on only some f16 models, and its maintainers
 * state that no q4f16_1 model runs without shader-f16 (mlc-ai/web-llm#255).
 */
export function webllmCatalog(appConfig: unknown = prebuiltAppConfig): CatalogEntry[] {
  return parseAppConfig(appConfig)
    .model_list.filter((r) => r.model_type !== EMBEDDING)
    .map((r) => ({
      id: r.model_id,
      vramMB: r.vram_required_MB,
      lowResource: r.low_resource_required ?? false,
      contextWindow: r.overrides?.context_window_size,
      requiredFeatures: requiredFeatures(r),
      bufferSizeRequiredBytes: r.buffer_size_required_bytes,
      protocol: functionCallingModelIds.includes(r.model_id) ? 'tools' : 'fenced',
    }));
}

function requiredFeatures(record: ModelRecord): string[] {
  const features = new Set(record.required_features ?? []);
  if (/q\d+f16/.test(record.model_id)) features.add('shader-f16');
  return [...features].sort();
}
