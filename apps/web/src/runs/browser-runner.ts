import { navigate } from '../router.js';
import { newRecordId } from '../storage/record-id.js';
import { setLive, updateLive, type LiveRun } from './live-store.js';
import type { WorkbenchRunner } from './runner.js';
import type { RunSecrets, RunSettings } from './run-settings.js';

export function liveRun(
  recordId: string,
  settings: RunSettings,
  trial: number,
  stop: () => void,
): LiveRun {
  return {
    recordId,
    trial,
    trials: settings.trials,
    modelName: settings.model.model,
    benchmarkId: settings.benchmark,
    scripted: settings.model.source === 'scripted',
    phase: 'starting',
    startedAt: Date.now(),
    modelProgress: null,
    pyodideStages: [],
    turns: [],
    cells: [],
    charts: {},
    completionTokens: 0,
    streamingMs: 0,
    error: null,
    environmentError: null,
    stop,
  };
}

/**
 * Runs trials 1–N one after another in this tab. The machinery (Pyodide, WebLLM, the agent loop) is
 * imported on the first run, so the page's first load stays small. Returns the first trial's id;
 * the page follows each trial's live view and lands on the last one's result.
 */
export const browserRunner: WorkbenchRunner = {
  unavailable: null,
  async start(settings: RunSettings, secrets: RunSecrets): Promise<string> {
    const controller = new AbortController();
    const stop = () => controller.abort();
    const first = newRecordId();
    setLive(liveRun(first, settings, 1, stop));
    void (async () => {
      let recordId = first;
      try {
        const { runTrial } = await import('./run-trial.js');
        for (let trial = 1; trial <= settings.trials; trial++) {
          if (trial > 1) {
            recordId = newRecordId();
            setLive(liveRun(recordId, settings, trial, stop));
            navigate(`/runs/${recordId}`);
          }
          const { aborted } = await runTrial(recordId, settings, secrets, controller.signal, trial);
          if (aborted || controller.signal.aborted) break;
        }
      } catch (error) {
        updateLive(recordId, () => ({
          phase: 'failed',
          error: error instanceof Error ? error.message : String(error),
        }));
      }
    })();
    return first;
  },
};
