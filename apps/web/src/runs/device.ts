// Loaded with the WebLLM choice only: the catalogue (WebLLM's prebuilt config) and the adapter check.
import {
  canRun,
  detectWebGPU,
  listModels,
  ModelError,
  webllmCatalog,
  type CanRun,
  type CatalogEntry,
  type WebGPUStatus,
} from '@localds/agent/model';

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

/** The server's /models, or the adapter's error (its code says CORS, unreachable, HTTP…). */
export async function serverModels(
  baseUrl: string,
  apiKey: string,
): Promise<{ ok: true; models: string[] } | { ok: false; code: string; message: string }> {
  try {
    const models = await listModels({ baseUrl, ...(apiKey ? { apiKey } : {}), retries: 0 });
    return { ok: true, models };
  } catch (error) {
    if (error instanceof ModelError) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: 'error', message: (error as Error).message };
  }
}
