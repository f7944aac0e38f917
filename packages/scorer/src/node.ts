/**
 * Node-only entry (`@localds/scorer/node`): reads a run folder from disk. Not imported by the
 * isomorphic index, so browsers never see `node:fs`.
 *
 * A folder may come from anywhere (imported, downloaded), so only regular files inside it are read:
 * symbolic links are never followed (not even to a file inside), FIFOs, sockets and devices are never
 * opened, and every cap of RUN_FOLDER_LIMITS applies before a byte is read. Each refusal is named in
 * the scorecard's notes, quoting nothing from the file or its target.
 */
import { constants, type Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RUN_FOLDER_LIMITS, tooLargeReason, type RefusedFile } from './run-folder/limits.js';
import { readRunFolderFiles, type RunFolder, type RunFolderFiles } from './run-folder/read.js';

export interface DiskRunFolder {
  files: RunFolderFiles;
  refused: RefusedFile[];
}

function kind(entry: Dirent): string {
  if (entry.isSymbolicLink()) return 'a symbolic link (not followed)';
  if (entry.isFIFO()) return 'a FIFO (not opened)';
  if (entry.isSocket()) return 'a socket (not opened)';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'a device (not opened)';
  return 'not a regular file (not opened)';
}

/**
 * Reads one regular file without following a link or blocking on a FIFO swapped in meanwhile: the
 * type and size are checked on the open descriptor itself.
 */
async function readRegular(path: string): Promise<Uint8Array | string> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) return 'not a regular file (not read)';
    if (info.size > RUN_FOLDER_LIMITS.maxFileBytes) return tooLargeReason(info.size);
    return new Uint8Array(await handle.readFile());
  } finally {
    await handle.close();
  }
}

/** Every regular file under `dir`, keyed by its `/`-separated relative path, and what was refused. */
export async function readRunFolderFromDisk(dir: string): Promise<DiskRunFolder> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`${dir} is not a directory`);
  const limits = RUN_FOLDER_LIMITS;
  const files: RunFolderFiles = new Map();
  const refused: RefusedFile[] = [];
  let total = 0;
  let seen = 0;
  let capped = false;
  const walk = async (abs: string, rel: string, depth: number): Promise<void> => {
    const entries = (await readdir(abs, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      const full = join(abs, entry.name);
      if (capped) return;
      if (seen++ === limits.maxFiles) {
        // Said once, at the first entry past the cap; every walk up the tree then stops too.
        capped = true;
        refused.push({
          path,
          reason: `past the cap of ${limits.maxFiles} entries: it and the rest were not read`,
        });
        return;
      }
      if (entry.isDirectory()) {
        if (depth >= limits.maxDirDepth)
          refused.push({
            path,
            reason: `deeper than ${limits.maxDirDepth} folder levels (not read)`,
          });
        else await walk(full, path, depth + 1);
        continue;
      }
      if (!entry.isFile()) {
        refused.push({ path, reason: kind(entry) });
        continue;
      }
      const size = (await stat(full).catch(() => null))?.size ?? 0;
      if (total + size > limits.maxTotalBytes) {
        refused.push({
          path,
          reason: `the folder is over its ${limits.maxTotalBytes / 1024 / 1024} MiB cap (not read)`,
        });
        continue;
      }
      const read = await readRegular(full).catch((error: NodeJS.ErrnoException) =>
        error.code === 'ELOOP'
          ? 'a symbolic link (not followed)'
          : `unreadable (${error.code ?? 'error'})`,
      );
      if (typeof read === 'string') refused.push({ path, reason: read });
      else {
        total += read.length;
        files.set(path, read);
      }
    }
  };
  await walk(dir, '', 0);
  return { files, refused };
}

/** Every regular file under `dir` (see readRunFolderFromDisk), without the refusals. */
export async function readRunFolderFilesFromDisk(dir: string): Promise<RunFolderFiles> {
  return (await readRunFolderFromDisk(dir)).files;
}

/** Reads and imports a run folder (supabase.json dropped, keys redacted, refusals noted). */
export async function loadRunFolderFromDisk(dir: string): Promise<RunFolder> {
  const { files, refused } = await readRunFolderFromDisk(dir);
  return readRunFolderFiles(files, refused);
}
