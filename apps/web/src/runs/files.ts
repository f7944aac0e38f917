import { unzipSync } from 'fflate';

/** Raw files picked by the user, before they are grouped into run folders. Path → bytes. */
export type PickedFiles = Map<string, Uint8Array>;

/** Files from an <input type=file> (folder picker or multi-select); keeps webkitRelativePath. */
export async function readPickedFiles(list: FileList | readonly File[]): Promise<PickedFiles> {
  const out: PickedFiles = new Map();
  for (const file of Array.from(list)) {
    const path = file.webkitRelativePath || file.name;
    if (/\.zip$/i.test(file.name)) {
      for (const [inner, bytes] of unzipFiles(
        new Uint8Array(await file.arrayBuffer()),
        file.name,
      )) {
        out.set(`${path}/${inner}`, bytes);
      }
    } else out.set(path, new Uint8Array(await file.arrayBuffer()));
  }
  return out;
}

/** A zip's files (folders and macOS resource forks skipped). */
export function unzipFiles(bytes: Uint8Array, name: string): PickedFiles {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => !f.name.endsWith('/') && !f.name.startsWith('__MACOSX/'),
    });
  } catch (error) {
    throw new Error(`${name} is not a readable zip: ${(error as Error).message}`, { cause: error });
  }
  return new Map(Object.entries(entries));
}

const MARKERS = ['summary.json', 'analysis.ipynb', 'run.json'];

/**
 * Splits picked files into run folders: every directory holding summary.json, analysis.ipynb or
 * run.json is one run, with paths made relative to it. Key: the folder's path ('' for top level).
 */
export function groupRunFolders(files: PickedFiles): Map<string, Map<string, Uint8Array>> {
  const dirOf = (path: string) => path.split('/').slice(0, -1).join('/');
  const roots = new Set<string>();
  for (const path of files.keys()) {
    if (MARKERS.includes(path.split('/').pop() ?? '')) roots.add(dirOf(path));
  }
  const groups = new Map<string, Map<string, Uint8Array>>();
  for (const root of roots) {
    const prefix = root ? `${root}/` : '';
    const folder = new Map<string, Uint8Array>();
    for (const [path, bytes] of files) {
      if (!path.startsWith(prefix)) continue;
      const rel = path.slice(prefix.length);
      // A file in a nested run folder belongs to that run, not this one.
      const nested = [...roots].some(
        (r) => r !== root && r.startsWith(prefix) && path.startsWith(`${r}/`),
      );
      if (!nested) folder.set(rel, bytes);
    }
    groups.set(root, folder);
  }
  return groups;
}
