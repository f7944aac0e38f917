// `--out` is checked before the model is called: a run whose folder cannot be written is refused at
// once, with the real reason (a read-only file system, a file in the way, no permission), rather than
// after every turn has been paid for.
import { randomBytes } from 'node:crypto';
import { mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

const REASONS: Record<string, string> = {
  EROFS: 'is on a read-only file system',
  EACCES: 'is not writable (permission denied)',
  EPERM: 'is not writable (operation not permitted)',
  ENOSPC: 'is on a file system with no space left',
  EDQUOT: 'is on a file system whose quota is used up',
};

function reason(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  return REASONS[err.code ?? ''] ?? `cannot be written (${err.code ?? err.message})`;
}

/** The nearest existing path at or above `path`, and whether it is a directory. */
async function nearestExisting(path: string): Promise<{ path: string; isDirectory: boolean }> {
  for (let p = path; ; p = dirname(p)) {
    const info = await stat(p).catch(() => null);
    if (info) return { path: p, isDirectory: info.isDirectory() };
    if (dirname(p) === p) return { path: p, isDirectory: false };
  }
}

/**
 * Makes sure `--out` is (or can be made) a writable directory, creating it; returns its absolute
 * path. Throws a one-line message naming the problem.
 */
export async function prepareOutDir(out: string): Promise<string> {
  const dir = resolve(out);
  const existing = await nearestExisting(dir);
  if (!existing.isDirectory) {
    throw new Error(
      existing.path === dir
        ? `--out ${out} is a file, not a directory`
        : `--out ${out} cannot be created: ${existing.path} is a file, not a directory`,
    );
  }
  try {
    // One level at a time: a recursive mkdir reports ENOENT where the file system said EROFS.
    const missing: string[] = [];
    for (let p = dir; p !== existing.path; p = dirname(p)) missing.unshift(p);
    for (const level of missing) await mkdir(level);
  } catch (error) {
    throw new Error(`--out ${out} cannot be created: ${existing.path} ${reason(error)}`, {
      cause: error,
    });
  }
  // A real write, so a read-only mount or a full disk shows now (root passes every permission check).
  const probe = resolve(
    dir,
    `.localds-write-check-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  try {
    await writeFile(probe, '');
  } catch (error) {
    throw new Error(`--out ${out} ${reason(error)}`, { cause: error });
  } finally {
    await unlink(probe).catch(() => undefined);
  }
  return dir;
}
