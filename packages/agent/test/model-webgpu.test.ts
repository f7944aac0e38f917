import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import {
  canRun,
  detectWebGPU,
  WEBLLM_MINIMUM_LIMITS,
  type AdapterLike,
  type NavigatorLike,
  type WebGPUStatus,
} from '../src/model/webgpu.js';
import { parseAppConfig, webllmCatalog } from '../src/model/webllm-catalog.js';

const MiB = 1 << 20;

/**
 * Shaped like the SwiftShader (CPU) adapter headless Chromium 156 reported on this machine
 * (measured with --use-webgpu-adapter=swiftshader): no shader-f16, 1 GiB buffers, 32 KiB
 * workgroup storage, 10 storage buffers per stage.
 */
const swiftShader: AdapterLike = {
  features: ['depth-clip-control', 'float32-filterable', 'subgroups', 'timestamp-query'],
  limits: {
    maxBufferSize: 1024 * MiB,
    maxStorageBufferBindingSize: 1024 * MiB,
    maxComputeWorkgroupStorageSize: 32768,
    maxStorageBuffersPerShaderStage: 10,
  },
  info: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' },
};

/** A discrete GPU with shader-f16. */
const discrete: AdapterLike = {
  features: new Set(['shader-f16', 'subgroups']),
  limits: { ...swiftShader.limits },
  info: { vendor: 'nvidia', architecture: 'ada', device: '', description: 'RTX' },
};

/** The WebGPU spec's default limits: what a minimal adapter offers. */
const specDefaults: AdapterLike = {
  features: ['shader-f16'],
  limits: {
    maxBufferSize: 256 * MiB,
    maxStorageBufferBindingSize: 128 * MiB,
    maxComputeWorkgroupStorageSize: 16384,
    maxStorageBuffersPerShaderStage: 8,
  },
};

const nav = (adapter: AdapterLike | null): NavigatorLike => ({
  gpu: { requestAdapter: async () => adapter },
});

async function status(adapter: AdapterLike): Promise<WebGPUStatus> {
  return detectWebGPU(nav(adapter), true);
}

describe('webllmCatalog on WebLLM’s real prebuilt config', () => {
  const records = parseAppConfig(prebuiltAppConfig).model_list;
  const catalog = webllmCatalog();

  it('lists every chat model, leaving out embedding models', () => {
    const embedding = records.filter((r) => r.model_type === 1);
    expect(embedding.length).toBeGreaterThan(0);
    expect(catalog).toHaveLength(records.length - embedding.length);
    expect(catalog.map((e) => e.id)).not.toContain(embedding[0]!.model_id);
  });

  it('copies VRAM, low-resource flag and context window from each record', () => {
    for (const entry of catalog) {
      const r = records.find((x) => x.model_id === entry.id)!;
      expect(entry.vramMB).toBe(r.vram_required_MB);
      expect(entry.lowResource).toBe(r.low_resource_required ?? false);
      expect(entry.contextWindow).toBe(r.overrides?.context_window_size);
    }
    const oneK = catalog.filter((e) => e.id.endsWith('-1k'));
    expect(oneK.length).toBeGreaterThan(0);
    for (const e of oneK) expect(e.contextWindow).toBe(1024);
  });

  it('requires shader-f16 of every f16 model and of every record that lists it, and of no f32 model', () => {
    for (const entry of catalog) {
      const r = records.find((x) => x.model_id === entry.id)!;
      const f16 = /q\d+f16/.test(entry.id);
      expect(entry.requiredFeatures.includes('shader-f16'), entry.id).toBe(
        f16 || (r.required_features ?? []).includes('shader-f16'),
      );
      if (/q\d+f32/.test(entry.id)) expect(entry.requiredFeatures, entry.id).toEqual([]);
    }
    // The config itself lists shader-f16 for fewer models than use f16: the id rule matters.
    const listed = records.filter((r) => r.required_features?.includes('shader-f16')).length;
    const byId = catalog.filter((e) => e.requiredFeatures.includes('shader-f16')).length;
    expect(byId).toBeGreaterThan(listed);
  });
});

describe('detectWebGPU', () => {
  it('explains each way WebGPU can be missing, in plain words', async () => {
    expect(await detectWebGPU(undefined)).toEqual({
      available: false,
      reason: expect.stringContaining('not a browser'),
    });
    expect(await detectWebGPU({}, false)).toEqual({
      available: false,
      reason: expect.stringContaining('secure'),
    });
    expect(await detectWebGPU({}, true)).toEqual({
      available: false,
      reason: expect.stringContaining('does not offer WebGPU'),
    });
    expect(await detectWebGPU(nav(null), true)).toEqual({
      available: false,
      reason: expect.stringContaining('found no usable GPU'),
    });
    const throwing: NavigatorLike = {
      gpu: { requestAdapter: () => Promise.reject(new Error('GPU process crashed')) },
    };
    expect(await detectWebGPU(throwing, true)).toEqual({
      available: false,
      reason: expect.stringContaining('GPU process crashed'),
    });
  });

  it('in Node, reports that this is not a browser', async () => {
    const s = await detectWebGPU();
    expect(s.available).toBe(false);
  });

  it('asks for the high-performance adapter, as WebLLM does, and reports what it offers', async () => {
    const asked: unknown[] = [];
    const s = await detectWebGPU(
      { gpu: { requestAdapter: async (o) => (asked.push(o), swiftShader) } },
      true,
    );
    expect(asked).toEqual([{ powerPreference: 'high-performance' }]);
    expect(s).toEqual({
      available: true,
      adapterInfo: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' },
      features: ['depth-clip-control', 'float32-filterable', 'subgroups', 'timestamp-query'],
      limits: swiftShader.limits,
    });
  });

  it('reads limits and info that live on the prototype, as real GPUAdapter getters do', async () => {
    class Limits {
      get maxBufferSize() {
        return 512 * MiB;
      }
      get maxStorageBufferBindingSize() {
        return 256 * MiB;
      }
      get maxComputeWorkgroupStorageSize() {
        return 32768;
      }
      get maxStorageBuffersPerShaderStage() {
        return 12;
      }
    }
    const s = await status({ features: new Set(['shader-f16']), limits: new Limits() });
    expect(s.available && s.limits).toEqual({
      maxBufferSize: 512 * MiB,
      maxStorageBufferBindingSize: 256 * MiB,
      maxComputeWorkgroupStorageSize: 32768,
      maxStorageBuffersPerShaderStage: 12,
    });
  });
});

describe('canRun', () => {
  const catalog = webllmCatalog();
  const byId = (id: string) => catalog.find((e) => e.id === id)!;

  it('on a SwiftShader-like adapter: every f16 model is refused for shader-f16, every f32 model fits', async () => {
    const s = await status(swiftShader);
    const f16 = catalog.filter((e) => e.requiredFeatures.includes('shader-f16'));
    const rest = catalog.filter((e) => !e.requiredFeatures.includes('shader-f16'));
    expect(f16.length).toBeGreaterThan(0);
    expect(rest.length).toBeGreaterThan(0);
    for (const m of f16) {
      const verdict = canRun(m, s);
      expect(verdict.ok, m.id).toBe(false);
      expect(verdict.reason).toContain('shader-f16');
    }
    for (const m of rest) expect(canRun(m, s).ok, m.id).toBe(true);
  });

  it('on a GPU with shader-f16 and 1 GiB buffers, every catalogue model fits', async () => {
    const s = await status(discrete);
    for (const m of catalog) expect(canRun(m, s).ok, m.id).toBe(true);
  });

  it('refuses every model on an adapter below WebLLM’s minimum limits, naming the limit', async () => {
    const s = await status(specDefaults);
    const verdict = canRun(byId('Qwen3-0.6B-q4f32_1-MLC'), s);
    expect(verdict.ok).toBe(false);
    expect(verdict.reason).toContain('maxComputeWorkgroupStorageSize is 16384');
    expect(verdict.reason).toContain('32768');
    for (const m of catalog) expect(canRun(m, s).ok).toBe(false);
  });

  it('checks a model’s buffer_size_required_bytes against what WebLLM can get', async () => {
    // Between 128 MiB and 1 GiB of binding size WebLLM only asks for 128 MiB.
    const midRange: AdapterLike = {
      features: ['shader-f16'],
      limits: {
        ...WEBLLM_MINIMUM_LIMITS,
        maxBufferSize: 1024 * MiB,
        maxStorageBufferBindingSize: 512 * MiB,
      },
    };
    const s = await status(midRange);
    const big = catalog.filter((e) => (e.bufferSizeRequiredBytes ?? 0) > 128 * MiB);
    expect(big.length).toBeGreaterThan(0);
    for (const m of big) {
      const verdict = canRun(m, s);
      expect(verdict.ok, m.id).toBe(false);
      expect(verdict.reason).toContain('128 MiB');
    }
    const small = catalog.filter((e) => e.bufferSizeRequiredBytes === undefined);
    for (const m of small) expect(canRun(m, s).ok, m.id).toBe(true);
  });

  it('shows the VRAM need as a requirement it cannot check, and passes on WebGPU’s absence', async () => {
    const qwen = byId('Qwen3-1.7B-q4f16_1-MLC');
    const ok = canRun(qwen, await status(discrete));
    expect(ok.reason).toContain(`${Math.ceil(qwen.vramMB!)} MB`);
    expect(ok.reason).toContain('cannot check');
    const absent = canRun(qwen, await detectWebGPU({}, false));
    expect(absent.ok).toBe(false);
    expect(absent.reason).toContain('secure');
  });
});
