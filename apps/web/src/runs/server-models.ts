// An OpenAI-compatible server's /models, apart from device.ts so asking a server never loads
// WebLLM's catalogue (and @mlc-ai/web-llm with it).
import { listModels, ModelError } from '@localds/agent/model';

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
