import { runFolderPath } from '@localds/scorer';
import { strToU8, zipSync } from 'fflate';
import { VOTES_FILE, votesFileText } from '../arena/votes-file.js';
import type { VisualRunRecord } from '../storage/visual-record.js';
import type { VoteRecord } from '../storage/vote-record.js';

/** Path-safe run id for the folder name (as the analysis export's). */
const folderRunId = (runId: string) => runId.replace(/[/\\\0:]/g, '-') || 'run';

/**
 * A visual run's folder as a zip, `runs/<benchmark>/<model-slug>/<run-id>/…`: the files `runVisual`
 * wrote (the CLI's layout, keys already redacted), so `localds score` scores the unzipped folder.
 * The arena's votes on this run travel with it as `votes.json` beside `runs/` (the import merges
 * them by vote id); the run folder itself stays exactly the CLI's.
 */
export function visualRunZip(
  run: VisualRunRecord,
  votes: readonly VoteRecord[] = [],
): { name: string; bytes: Uint8Array } {
  if (!run.files['run.json']) {
    throw new Error('This run has no run folder yet (it has not finished): nothing to export.');
  }
  const root = runFolderPath(run.benchmark.id, run.model.slug, folderRunId(run.runId));
  const entries: Record<string, Uint8Array> = {};
  for (const [path, bytes] of Object.entries(run.files)) entries[`${root}/${path}`] = bytes;
  const onThisRun = votes.filter(
    (v) => v.left.run_id === run.runId || v.right.run_id === run.runId,
  );
  if (onThisRun.length > 0) entries[VOTES_FILE] = strToU8(votesFileText(onThisRun));
  return {
    name: `${run.benchmark.id}-${run.model.slug}-${folderRunId(run.runId)}.zip`,
    bytes: zipSync(entries, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') }),
  };
}
