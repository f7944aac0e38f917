import { redactSecrets, runFolderPath } from '@localds/scorer';
import { strToU8, zipSync } from 'fflate';
import type { RunRecord } from '../storage/run-record.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A file's bytes with keys redacted when it is text (a second pass: records are redacted on import). */
function redactedBytes(bytes: Uint8Array): Uint8Array {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return bytes;
  }
  const clean = redactSecrets(text);
  return clean === text ? bytes : strToU8(clean);
}

/** Path-safe run id for the folder name (ISO timestamps carry colons). */
function folderRunId(runId: string): string {
  return runId.replace(/[/\\\0:]/g, '-') || 'run';
}

/** The run folder as a zip in the article's layout: runs/<benchmark>/<model-slug>/<run-id>/… */
export function runFolderZip(run: RunRecord): { name: string; bytes: Uint8Array } {
  const root = runFolderPath(run.benchmark.id, run.model.slug, folderRunId(run.runId));
  const entries: Record<string, Uint8Array> = {};
  for (const [path, bytes] of Object.entries(run.files)) {
    entries[`${root}/${path}`] = redactedBytes(bytes);
  }
  return {
    name: `${run.benchmark.id}-${run.model.slug}-${folderRunId(run.runId)}.zip`,
    bytes: zipSync(entries, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') }),
  };
}

/** analysis.ipynb alone, redacted; null when the run has none. */
export function notebookFile(run: RunRecord): { name: string; bytes: Uint8Array } | null {
  const bytes = run.files['analysis.ipynb'];
  return bytes ? { name: 'analysis.ipynb', bytes: redactedBytes(bytes) } : null;
}

/** Text of a stored file, redacted; null when missing or not UTF-8. */
export function fileText(run: RunRecord, path: string): string | null {
  const bytes = run.files[path];
  if (!bytes) return null;
  try {
    return redactSecrets(utf8.decode(bytes));
  } catch {
    return null;
  }
}

/** Offers bytes as a download (an object URL revoked right after the click). */
export function download(name: string, bytes: Uint8Array, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
