// Writes a run folder to disk under the runs root (`--out`, default `runs/`).
import { mkdir, writeFile } from 'node:fs/promises';
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
    await writeFile(target, bytes);
  }
  await mkdir(dir, { recursive: true });
  return join(dir);
}
