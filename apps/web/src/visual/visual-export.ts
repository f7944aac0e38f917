import { runFolderPath } from '@localds/scorer';
import { zipSync } from 'fflate';
import type { VisualRunRecord } from '../storage/visual-record.js';

/** Path-safe run id for the folder name (as the analysis export's). */
const folderRunId = (runId: string) => runId.replace(/[/\\\0:]/g, '-') || 'run';

/**
 * A visual run's folder as a zip, `runs/<benchmark>/<model-slug>/<run-id>/…`: the files `runVisual`
 * wrote (the CLI's layout, keys already redacted), so `localds score` scores the unzipped folder.
 */
export function visualRunZip(run: VisualRunRecord): { name: string; bytes: Uint8Array } {
  if (!run.files['run.json']) {
    throw new Error('This run has no run folder yet (it has not finished): nothing to export.');
  }
  const root = runFolderPath(run.benchmark.id, run.model.slug, folderRunId(run.runId));
  const entries: Record<string, Uint8Array> = {};
  for (const [path, bytes] of Object.entries(run.files)) entries[`${root}/${path}`] = bytes;
  return {
    name: `${run.benchmark.id}-${run.model.slug}-${folderRunId(run.runId)}.zip`,
    bytes: zipSync(entries, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') }),
  };
}
