// Node-only: the sandboxes' temporary directories (the run's working directory holds supabase.json with
// the run's key). Each name carries the owner's PID, so a directory left by a crashed or SIGKILLed
// harness can be told from a live run's and removed at the next start; an ordinary exit, even
// process.exit() on a second Ctrl-C, removes this process's own directories.
import { mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TempDirKind = 'localds-run-' | 'localds-native-tmp-';

/** `localds-run-p<pid>-XXXXXX` / `localds-native-tmp-p<pid>-XXXXXX` */
const OWNED = /^localds-(?:run|native-tmp)-p(\d+)-[A-Za-z0-9]{6}$/;

const live = new Set<string>();
let exitHook = false;

function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // a child still writing into it; the next start's cleanup takes it
  }
}

/** A fresh directory under the system temp dir, removed by `removeOwnedTempDir` or at exit. */
export function makeOwnedTempDir(kind: TempDirKind): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `${kind}p${process.pid}-`)));
  live.add(dir);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const owned of live) removeQuietly(owned);
    });
  }
  return dir;
}

export function removeOwnedTempDir(dir: string): void {
  removeQuietly(dir);
  live.delete(dir);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists under another user, so it is someone's live process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp directories whose owner process is gone; a live run's (its PID still running) and
 * directories without an owner in their name are left alone. Returns what was removed.
 */
export function cleanStaleTempDirs(root: string = tmpdir()): string[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = OWNED.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || alive(Number(pid))) continue;
    removeQuietly(join(root, name));
    removed.push(join(root, name));
  }
  return removed;
}
