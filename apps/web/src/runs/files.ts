import { RUN_FOLDER_LIMITS, tooLargeReason, type RefusedFile } from '@localds/scorer';
import { unzipSync } from 'fflate';
import { irregularZipEntries } from './zip-entries.js';

/** Raw files picked by the user, before they are grouped into run folders. Path → bytes. */
export type PickedFiles = Map<string, Uint8Array>;

/** Picked files and those refused before reading (symlinks in a zip, files over the size cap). */
export interface PickedSelection {
  files: PickedFiles;
  refused: RefusedFile[];
}

/**
 * Files from an <input type=file> (folder picker or multi-select); keeps webkitRelativePath. The caps
 * of RUN_FOLDER_LIMITS apply before a file or zip entry is read.
 */
export async function readPickedFiles(list: FileList | readonly File[]): Promise<PickedSelection> {
  const files: PickedFiles = new Map();
  const refused: RefusedFile[] = [];
  for (const file of Array.from(list)) {
    const path = file.webkitRelativePath || file.name;
    const isZip = /\.zip$/i.test(file.name);
    // A zip may hold a whole folder, so its own cap is the folder's.
    const cap = isZip ? RUN_FOLDER_LIMITS.maxTotalBytes : RUN_FOLDER_LIMITS.maxFileBytes;
    if (file.size > cap) {
      refused.push({ path, reason: tooLargeReason(file.size) });
      continue;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (!isZip) {
      files.set(path, bytes);
      continue;
    }
    const inner = unzipFiles(bytes, file.name);
    for (const [name, content] of inner.files) files.set(`${path}/${name}`, content);
    for (const r of inner.refused) refused.push({ ...r, path: `${path}/${r.path}` });
  }
  return { files, refused };
}

/**
 * A zip's regular files (folders and macOS resource forks skipped); symbolic links, FIFOs and devices,
 * entries over the one-file cap and entries past the folder cap are refused without being inflated.
 */
export function unzipFiles(bytes: Uint8Array, name: string): PickedSelection {
  const refused = irregularZipEntries(bytes);
  const irregular = new Set(refused.map((r) => r.path));
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/') || f.name.startsWith('__MACOSX/') || irregular.has(f.name))
          return false;
        if (f.originalSize > RUN_FOLDER_LIMITS.maxFileBytes) {
          refused.push({ path: f.name, reason: tooLargeReason(f.originalSize) });
          return false;
        }
        if (total + f.originalSize > RUN_FOLDER_LIMITS.maxTotalBytes) {
          refused.push({ path: f.name, reason: 'the folder is over its size cap (not read)' });
          return false;
        }
        total += f.originalSize;
        return true;
      },
    });
  } catch (error) {
    throw new Error(`${name} is not a readable zip: ${(error as Error).message}`, { cause: error });
  }
  return { files: new Map(Object.entries(entries)), refused };
}

const MARKERS = ['summary.json', 'analysis.ipynb', 'run.json'];

/**
 * Splits picked files into run folders: every directory holding summary.json, analysis.ipynb or
 * run.json is one run, with paths made relative to it. Key: the folder's path ('' for top level).
 */
export function groupRunFolders(picked: PickedSelection): Map<string, PickedSelection> {
  const { files } = picked;
  const dirOf = (path: string) => path.split('/').slice(0, -1).join('/');
  const roots = new Set<string>();
  // A refused summary.json still marks its folder: the import then says why it was refused.
  for (const path of [...files.keys(), ...picked.refused.map((r) => r.path)]) {
    if (MARKERS.includes(path.split('/').pop() ?? '')) roots.add(dirOf(path));
  }
  const groups = new Map<string, PickedSelection>();
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
    // A refused file belongs to the deepest run folder it lies in.
    const refused = picked.refused
      .filter((r) => r.path.startsWith(prefix))
      .filter(
        (r) =>
          ![...roots].some((o) => o !== root && o.startsWith(prefix) && r.path.startsWith(`${o}/`)),
      )
      .map((r) => ({ ...r, path: r.path.slice(prefix.length) }));
    groups.set(root, { files: folder, refused });
  }
  return groups;
}
