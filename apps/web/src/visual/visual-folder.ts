import { isVisualRunJson } from '@localds/benchmarks';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** True when a picked folder is a visual run (its run.json says kind "visual"). */
export function isVisualFolder(files: ReadonlyMap<string, Uint8Array>): boolean {
  const bytes = files.get('run.json');
  if (!bytes) return false;
  try {
    return isVisualRunJson(JSON.parse(utf8.decode(bytes)));
  } catch {
    return false;
  }
}
