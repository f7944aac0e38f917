// What this device's WebGPU adapter really offers, and whether a catalogue model can run on it.
// The checks follow what WebLLM itself does when it loads a model (detectGPUDevice in its
// bundled tvmjs runtime, then the model record's required_features), so a model judged
// runnable here is not refused by WebLLM for features or limits. VRAM cannot be read through
// WebGPU, so a model's vramMB is shown as a requirement, never checked.

import type { CatalogEntry } from './webllm-catalog.js';

/** The part of a WebGPU adapter this module reads (kept structural: no DOM types in Node). */
export interface AdapterLike {
  features: Iterable<string>;
  limits: {
    maxBufferSize: number;
    maxStorageBufferBindingSize: number;
    maxComputeWorkgroupStorageSize: number;
    maxStorageBuffersPerShaderStage: number;
  };
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
}

export interface NavigatorLike {
  gpu?: { requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null> };
}

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

export type WebGPUStatus =
  | { available: false; reason: string }
  | {
      available: true;
      adapterInfo: AdapterInfo;
      features: string[];
      limits: AdapterLike['limits'];
    };

export async function detectWebGPU(
  nav: NavigatorLike | undefined = (globalThis as { navigator?: NavigatorLike }).navigator,
  secureContext: boolean | undefined = (globalThis as { isSecureContext?: boolean })
    .isSecureContext,
): Promise<WebGPUStatus> {
  if (!nav) {
    return { available: false, reason: 'WebGPU is a browser feature, and this is not a browser.' };
  }
  if (!nav.gpu) {
    if (secureContext === false) {
      return {
        available: false,
        reason:
          'WebGPU only works on secure pages: open this page over https:// or from http://localhost.',
      };
    }
    return {
      available: false,
      reason:
        'This browser does not offer WebGPU. Use a recent Chrome, Edge or Safari, or turn WebGPU on in the browser settings.',
    };
  }
  let adapter: AdapterLike | null;
  try {
    // WebLLM asks for the high-performance adapter; ask for the same one.
    adapter = await nav.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return {
      available: false,
      reason: `The browser failed to look for a GPU: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (!adapter) {
    return {
      available: false,
      reason:
        'The browser supports WebGPU but found no usable GPU: the GPU may be blocked by the browser, its driver too old, or hardware acceleration turned off.',
    };
  }
  // Adapter limits and info are getters on the prototype: copy the fields one by one.
  const l = adapter.limits;
  const i = adapter.info ?? {};
  return {
    available: true,
    adapterInfo: {
      vendor: i.vendor ?? '',
      architecture: i.architecture ?? '',
      device: i.device ?? '',
      description: i.description ?? '',
    },
    features: [...adapter.features].sort(),
    limits: {
      maxBufferSize: l.maxBufferSize,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
    },
  };
}

const MiB = 1 << 20;

/**
 * The limits WebLLM's runtime requests from the adapter, and the smallest it accepts: it asks
 * for 1 GiB buffers and falls back to 256 MiB (maxBufferSize) and 128 MiB
 * (maxStorageBufferBindingSize); it needs 32 KiB of workgroup storage and 10 storage buffers
 * per shader stage.
 */
export const WEBLLM_MINIMUM_LIMITS = {
  maxBufferSize: 256 * MiB,
  maxStorageBufferBindingSize: 128 * MiB,
  maxComputeWorkgroupStorageSize: 32 * 1024,
  maxStorageBuffersPerShaderStage: 10,
} as const;

export interface CanRun {
  ok: boolean;
  reason: string;
}

export function canRun(model: CatalogEntry, webgpu: WebGPUStatus): CanRun {
  if (!webgpu.available) return { ok: false, reason: webgpu.reason };
  const missing = model.requiredFeatures.filter((f) => !webgpu.features.includes(f));
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `${model.id} needs the WebGPU feature ${missing.join(', ')}, which this GPU adapter does not offer; pick a q4f32 variant.`,
    };
  }
  for (const [name, minimum] of Object.entries(WEBLLM_MINIMUM_LIMITS)) {
    const actual = webgpu.limits[name as keyof typeof WEBLLM_MINIMUM_LIMITS];
    if (actual < minimum) {
      return {
        ok: false,
        reason: `this GPU adapter's ${name} is ${describe(name, actual)}, below the ${describe(name, minimum)} WebLLM needs.`,
      };
    }
  }
  // WebLLM gets 1 GiB binding size when the adapter allows it, otherwise only 128 MiB.
  const binding = webgpu.limits.maxStorageBufferBindingSize >= 1024 * MiB ? 1024 * MiB : 128 * MiB;
  if (model.bufferSizeRequiredBytes !== undefined && model.bufferSizeRequiredBytes > binding) {
    return {
      ok: false,
      reason: `${model.id} needs storage buffers of ${describe('maxStorageBufferBindingSize', model.bufferSizeRequiredBytes)}; WebLLM can get only ${describe('maxStorageBufferBindingSize', binding)} on this adapter.`,
    };
  }
  const vram =
    model.vramMB === undefined
      ? ''
      : ` It needs about ${Math.ceil(model.vramMB)} MB of GPU memory, which the browser cannot check in advance.`;
  return { ok: true, reason: `This GPU adapter offers what ${model.id} needs.${vram}` };
}

function describe(limit: string, value: number): string {
  return limit.endsWith('Size') && value >= MiB ? `${Math.round(value / MiB)} MiB` : String(value);
}
