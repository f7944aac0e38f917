import type { RunJson } from '../run-folder/run-json.js';
import type { Trace } from '../run-folder/trace.js';

/**
 * Live Supabase mode: whether model code saw the rows the oracle is computed from (the snapshot).
 * Drift is not a fault of the model, so it is a note on the scorecard, not a check.
 */
export function driftNote(run: Pick<RunJson, 'data'>, trace: Trace): string | null {
  if (!run.data.live) return null;
  const live = trace.requests.filter((r) => r.drift !== undefined);
  const drifted = live.filter((r) => r.drift !== null);
  if (drifted.length === 0) {
    return `live data: ${live.length} requests answered by the live project, none differing from the snapshot`;
  }
  return `live data drift: ${drifted.length} of ${live.length} requests answered by the live project differ from the snapshot the oracle is computed from (first: ${drifted[0]?.drift ?? ''})`;
}
