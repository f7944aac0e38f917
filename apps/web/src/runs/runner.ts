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
