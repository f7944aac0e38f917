// Writes a run folder to disk under the runs root (`--out`, default `runs/`), file by file atomically.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** `runs/<benchmark>/<slug>/<id>` placed under `outRoot` instead of `runs/`; returns the folder. */
export async function writeRunFolder(
  outRoot: string,
  folderPath: string,
  files: ReadonlyMap<string, Uint8Array>,
): Promise<string> {
  const dir = resolve(outRoot, folderPath.replace(/^runs\//, ''));
  for (const [name, bytes] of files) {
    const target = resolve(dir, name);
    // Names come from the sandbox's run directory; refuse anything that would land outside.
    if (!target.startsWith(`${dir}/`)) throw new Error(`refusing to write ${name} outside ${dir}`);
    await mkdir(dirname(target), { recursive: true });
    // Written beside and renamed over: the folder is rewritten during the run (after every cell),
    // and a kill mid-write must leave the previous whole file, never half of a new one.
    const partial = `${target}.localds-partial-${process.pid}`;
    await writeFile(partial, bytes);
    await rename(partial, target);
  }
  await mkdir(dir, { recursive: true });
  return join(dir);
}
