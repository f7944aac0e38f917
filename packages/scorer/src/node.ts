/**
 * Node-only entry (`@localds/scorer/node`): reads a run folder from disk. Not imported by the
 * isomorphic index, so browsers never see `node:fs`.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { readRunFolderFiles, type RunFolder, type RunFolderFiles } from './run-folder/read.js';

/** Every regular file under `dir` (recursively), keyed by its `/`-separated relative path. */
export async function readRunFolderFilesFromDisk(dir: string): Promise<RunFolderFiles> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`${dir} is not a directory`);
  const files: RunFolderFiles = new Map();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    // Symlinks count when they point at a file (Python's is_file(), which the article uses, follows them).
    const isFile =
      entry.isFile() || (entry.isSymbolicLink() && (await stat(path).catch(() => null))?.isFile());
    if (!isFile) continue;
    files.set(relative(dir, path).split(sep).join('/'), new Uint8Array(await readFile(path)));
  }
  return files;
}

/** Reads and imports a run folder (supabase.json dropped, keys redacted). */
export async function loadRunFolderFromDisk(dir: string): Promise<RunFolder> {
  return readRunFolderFiles(await readRunFolderFilesFromDisk(dir));
}
