import type { RunSecrets, RunSettings } from './run-settings.js';

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
}

/** This build has no agent yet: the form works, the Run button says why it cannot start. */
export const NO_RUNNER: WorkbenchRunner = {
  unavailable:
    'This build of the page cannot run a model yet: the in-browser agent (model adapters and the Pyodide sandbox) is not part of it. You can prepare settings, share them as a link, and import run folders scored elsewhere.',
  start: () => Promise.reject(new Error('no runner in this build')),
};
