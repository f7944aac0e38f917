// Loaded with the WebLLM choice only: the catalogue (WebLLM's prebuilt config) and the adapter check.
import {
  canRun,
  detectWebGPU,
  webllmCatalog,
  type CanRun,
  type CatalogEntry,
  type WebGPUStatus,
} from '@localds/agent/webllm';

export interface DeviceModels {
  webgpu: WebGPUStatus;
  models: (CatalogEntry & { verdict: CanRun })[];
}

/** WebLLM's chat models and, for each, whether this device's WebGPU adapter can run it. */
export async function deviceModels(): Promise<DeviceModels> {
  const webgpu = await detectWebGPU();
  const models = webllmCatalog().map((m) => ({ ...m, verdict: canRun(m, webgpu) }));
  return { webgpu, models };
}
