// Host-side access to a run's working directory. Model code can create symlinks there, so every path is
// resolved and checked to stay inside the directory, and only regular files are listed or read.
import { lstat, mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { checkRunFileName } from './file-names.js';
import type { SandboxFiles } from '../kernel/kernel-sandbox.js';
import type { FileInfo } from '../types.js';

const MAX_FILES = 10_000;

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** A run directory on disk: everything in it survives a lost kernel. */
export class RunDir implements SandboxFiles<FileInfo[]> {
  /**
   * The root's real path, worked out once (each cell lists the directory twice). Behind the walls the
   * root is the kernel's mount point, which model code cannot move; reads stay checked against this path.
   */
  private realRoot: Promise<string> | undefined;

  constructor(readonly root: string) {}

  private resolvedRoot(): Promise<string> {
    this.realRoot ??= realpath(this.root);
    return this.realRoot;
  }

  private async resolveName(name: string): Promise<string> {
    checkRunFileName(name, isAbsolute);
    const root = await this.resolvedRoot();
    const target = resolve(root, name);
    if (!inside(root, target)) throw new Error(`${name} is outside the run directory`);
    return target;
  }

  /** Regular files under the run directory (symlinks are not followed), at most 10 000. */
  async list(): Promise<FileInfo[]> {
    const root = await this.resolvedRoot();
    const files: FileInfo[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      // A folder's files are looked at together: one trip to libuv's thread pool, not one each.
      const regular = entries
        .filter((entry) => entry.isFile())
        .slice(0, MAX_FILES - files.length)
        .map((entry) => join(dir, entry.name));
      const stats = await Promise.all(regular.map((full) => lstat(full)));
      regular.forEach((full, i) =>
        files.push({
          name: relative(root, full).split(sep).join('/'),
          size: stats[i]!.size,
          mtimeMs: stats[i]!.mtimeMs,
        }),
      );
      for (const entry of entries) {
        if (files.length >= MAX_FILES) return;
        if (entry.isDirectory()) await walk(join(dir, entry.name));
      }
    };
    await walk(root);
    return files.sort((a, b) => a.name.localeCompare(b.name));
  }

  async read(name: string): Promise<Uint8Array> {
    const target = await this.resolveName(name);
    const real = await realpath(target);
    if (!inside(await this.resolvedRoot(), real) || !(await lstat(real)).isFile()) {
      throw new Error(`${name} is not a regular file inside the run directory`);
    }
    return new Uint8Array(await readFile(real));
  }

  /** The listing a cell's changes are found against. */
  mark(): Promise<FileInfo[]> {
    return this.list();
  }

  /** Files new or changed since `before` (an earlier list()); all of them survive a lost kernel. */
  async changedSince(before: FileInfo[]): Promise<{ name: string; size: number }[]> {
    return changedFiles(before, await this.list());
  }

  async write(name: string, bytes: Uint8Array): Promise<void> {
    const target = await this.resolveName(name);
    await mkdir(dirname(target), { recursive: true });
    const parent = await realpath(dirname(target));
    if (!inside(await this.resolvedRoot(), parent))
      throw new Error(`${name} is outside the run directory`);
    const existing = await lstat(target).catch(() => undefined);
    if (existing && !existing.isFile()) throw new Error(`${name} exists and is not a regular file`);
    await writeFile(target, bytes);
  }
}

/** Files that are new or changed between two listings (see RunDir.changedSince). */
export function changedFiles(
  before: FileInfo[],
  after: FileInfo[],
): { name: string; size: number }[] {
  const old = new Map(before.map((f) => [f.name, f]));
  return after
    .filter((f) => {
      const prev = old.get(f.name);
      return !prev || prev.size !== f.size || prev.mtimeMs !== f.mtimeMs;
    })
    .map(({ name, size }) => ({ name, size }));
}
