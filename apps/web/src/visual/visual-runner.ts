import type { VisualBenchmark } from '@localds/benchmarks';
import type { RunSecrets } from '../runs/run-settings.js';
import { newRecordId } from '../storage/record-id.js';
import { setVisualLive, updateVisualLive } from './visual-live-store.js';
import { isScriptedChoice, type VisualRunSettings } from './visual-settings.js';

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
