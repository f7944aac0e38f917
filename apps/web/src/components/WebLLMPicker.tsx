import { useEffect, useState } from 'react';
import type { DeviceModels } from '../runs/device.js';

/**
 * WebLLM's catalogue judged for this device: what WebGPU really reports (features such as
 * shader-f16, buffer limits), each model's VRAM need, context window and low-resource flag.
 */
export function WebLLMPicker({
  value,
  onChange,
  onUseServer,
}: {
  value: string;
  onChange: (id: string) => void;
  onUseServer: () => void;
}) {
  const [device, setDevice] = useState<DeviceModels | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [onlyRunnable, setOnlyRunnable] = useState(true);
  useEffect(() => {
    let active = true;
    import('../runs/device.js')
      .then((m) => m.deviceModels())
      .then(
        (d) => active && setDevice(d),
        (e: Error) => active && setError(e.message),
      );
    return () => {
      active = false;
    };
  }, []);
  if (error) return <p className="error">Could not read WebLLM&rsquo;s catalogue: {error}</p>;
  if (!device) {
    return (
      <p className="muted small" role="status">
        Checking this device&rsquo;s WebGPU…
      </p>
    );
  }
  const { webgpu } = device;
  const runnable = device.models.filter((m) => m.verdict.ok);
  const shown = onlyRunnable && webgpu.available ? runnable : device.models;
  const selected = device.models.find((m) => m.id === value);
  return (
    <div className="webllm-picker" data-testid="webllm-picker">
      {webgpu.available ? (
        <p className="small" data-testid="webgpu-status" data-available="true">
          WebGPU adapter: {webgpu.adapterInfo.description || webgpu.adapterInfo.vendor || 'unnamed'}
          {' · '}
          {webgpu.features.includes('shader-f16')
            ? 'has shader-f16'
            : 'no shader-f16 (f16 models cannot run; q4f32 ones can)'}
          {' · '}
          {runnable.length} of {device.models.length} models can run here.
        </p>
      ) : (
        <div className="notice" data-testid="webgpu-status" data-available="false">
          <p>WebGPU is not available here: {webgpu.reason}</p>
          <p>
            You can still run a model on your own machine through an OpenAI-compatible server
            (llama.cpp, Ollama, LM Studio).{' '}
            <button type="button" onClick={onUseServer}>
              Use a model server instead
            </button>
          </p>
        </div>
      )}
      {webgpu.available && (
        <label className="small">
          <input
            type="checkbox"
            checked={onlyRunnable}
            onChange={(e) => setOnlyRunnable(e.target.checked)}
          />{' '}
          Only models this device can run
        </label>
      )}
      <label className="field">
        <span className="field-label">WebLLM model</span>
        <select value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">— pick a model —</option>
          {shown.map((m) => (
            <option key={m.id} value={m.id} data-model-id={m.id} data-can-run={m.verdict.ok}>
              {m.id} · {m.vramMB === undefined ? '? MB' : `${Math.ceil(m.vramMB)} MB`} VRAM ·{' '}
              {m.contextWindow ?? '?'} tokens{m.lowResource ? ' · low-resource' : ''}
              {m.protocol === 'tools' ? ' · tool calls' : ''}
              {m.verdict.ok ? '' : ' · cannot run here'}
            </option>
          ))}
        </select>
      </label>
      {selected && (
        <p className={selected.verdict.ok ? 'small' : 'small field-error'} data-testid="verdict">
          {selected.verdict.reason}
        </p>
      )}
      {selected && (
        <p className="small" data-testid="webllm-protocol" data-protocol={selected.protocol}>
          {selected.protocol === 'tools'
            ? 'Protocol: tool calls (WebLLM does function calling for this model; it runs code through run_python).'
            : 'Protocol: fenced ```python blocks (WebLLM does function calling only for its Hermes models).'}
        </p>
      )}
    </div>
  );
}
