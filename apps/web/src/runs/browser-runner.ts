import { navigate } from '../router.js';
import { newRecordId } from '../storage/record-id.js';
import { loadSettings } from '../storage/settings.js';
import { setLive, updateLive, type LiveRun } from './live-store.js';
import type { WorkbenchRunner } from './runner.js';
import type { RunSecrets, RunSettings } from './run-settings.js';
import type { WarmSandbox } from './warm-sandbox.js';

/**
 * The pre-start machinery, loaded when the benchmark form first asks for it (not with the page).
 * One promise, and nothing awaited inside its callbacks: what the page asks of the slot (prepare,
 * claim, release) happens in call order.
 */
let warmModule: Promise<
  typeof import('./warm-sandbox.js') & typeof import('./sandbox-plan.js')
> | null = null;
const loadWarm = () =>
  (warmModule ??= Promise.all([import('./warm-sandbox.js'), import('./sandbox-plan.js')]).then(
    ([slot, plan]) => ({ ...slot, ...plan }),
  ));

/**
 * The sandbox pre-started for a run with these settings, taken from the page's slot now (so before
 * the page, left for the run, releases what is left); null when none fits.
 */
export function claimPrestarted(settings: RunSettings): Promise<WarmSandbox | null> {
  if (!warmModule) return Promise.resolve(null);
  return warmModule.then(
    ({ pageSlot, planOfRun }) => pageSlot.claim(planOfRun(settings)),
    () => null,
  );
}

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
    // Claimed before the page navigates away (and releases the slot): trial 1 starts on it.
    const claimed = claimPrestarted(settings);
    setLive(liveRun(first, settings, 1, stop));
    void (async () => {
      let recordId = first;
      let warm = await claimed;
      try {
        const { runTrial } = await import('./run-trial.js');
        for (let trial = 1; trial <= settings.trials; trial++) {
          if (trial > 1) {
            recordId = newRecordId();
            setLive(liveRun(recordId, settings, trial, stop));
            navigate(`/runs/${recordId}`);
          }
          // Handed over: the trial disposes it. Later trials start their own sandbox.
          const prestarted = warm;
          warm = null;
          const { aborted } = await runTrial(recordId, settings, secrets, controller.signal, {
            trialIndex: trial,
            prestarted,
          });
          if (aborted || controller.signal.aborted) break;
        }
      } catch (error) {
        updateLive(recordId, () => ({
          phase: 'failed',
          error: error instanceof Error ? error.message : String(error),
        }));
      } finally {
        warm?.discard();
      }
    })();
    return first;
  },
  prestart(benchmark, scripted, onState) {
    void loadWarm().then(
      ({ pageSlot, sandboxPlan }) => {
        if (!loadSettings().prestartSandbox) return pageSlot.release();
        pageSlot.prepare(sandboxPlan(benchmark, scripted), onState);
        // The run machinery too, so Run does not wait for its code either.
        void import('./run-trial.js').catch(() => undefined);
      },
      () => undefined,
    );
  },
  releasePrestart() {
    if (warmModule)
      void warmModule.then(
        ({ pageSlot }) => pageSlot.release(),
        () => undefined,
      );
  },
};
