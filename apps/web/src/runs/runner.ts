import type { RunSecrets, RunSettings } from './run-settings.js';
import type { PrestartState } from './warm-sandbox.js';

export type { PrestartState };

/**
 * The slot the live run panel plugs into. The benchmark page's form validates settings and hands
 * them, with the secrets, to `start`; the runner saves the run to IndexedDB as it goes (see
 * storage/runs-db.ts `saveRun`, state `partial` until it ends) and returns the record id, which the
 * page then opens at `#/runs/<id>`.
 */
export interface WorkbenchRunner {
  /** null when runs can start; otherwise the reason, shown beside the disabled Run button. */
  unavailable: string | null;
  start(settings: RunSettings, secrets: RunSecrets): Promise<string>;
  /**
   * While the form is open: starts the sandbox a run of `benchmark` (the scripted demo or not) will
   * need, so that Run does not wait for it; `onState` follows it, null once there is none (never
   * called when Settings turned pre-starting off). Called again as the choice changes; the next
   * `start` claims it.
   */
  prestart?(
    benchmark: string,
    scripted: boolean,
    onState: (state: PrestartState | null) => void,
  ): void;
  /** The form was left without running: the pre-started sandbox is disposed. */
  releasePrestart?(): void;
}
