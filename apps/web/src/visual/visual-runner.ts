import type { VisualBenchmark } from '@localds/benchmarks';
import type { RunSecrets } from '../runs/run-settings.js';
import { setVisualLive, updateVisualLive } from './visual-live-store.js';
import { isScriptedChoice, type VisualRunSettings } from './visual-settings.js';

/** A record id that sorts by time and is unique in this browser (as the analysis runner's). */
function newRecordId(): string {
  const stamp = new Date()
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
  return `${stamp}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * Starts one visual run in this tab and returns its record id at once (the page opens its live view).
 * The loop, the renderer and the model adapters are imported on first use, so the page loads light.
 */
export function startVisualRun(
  benchmark: VisualBenchmark,
  settings: VisualRunSettings,
  secrets: RunSecrets,
): string {
  const controller = new AbortController();
  const recordId = newRecordId();
  setVisualLive({
    recordId,
    benchmarkId: benchmark.id,
    modelName: settings.model.model,
    scripted: isScriptedChoice(settings.model),
    phase: 'starting',
    startedAt: Date.now(),
    modelProgress: null,
    turns: [],
    score: null,
    error: null,
    stop: () => controller.abort(),
  });
  void import('./visual-trial.js')
    .then(({ runVisualTrial }) =>
      runVisualTrial(recordId, benchmark, settings, secrets, controller.signal),
    )
    .catch((error: unknown) =>
      updateVisualLive(recordId, () => ({
        phase: 'failed',
        error: error instanceof Error ? error.message : String(error),
      })),
    );
  return recordId;
}
