import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * Whether a process is still running. A zombie counts as gone: a detached supervisor that
 * exited may wait a while to be reaped by whatever adopted it, but it no longer holds anything.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until every pid is gone or the time is up; returns the pids still alive. */
export async function waitForExit(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(50);
    alive = alive.filter(isAlive);
  }
  return alive;
}

/** Sends a signal, ignoring a process that is already gone. */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** The last lines of a log file, or a note that it is missing, for error messages. */
export async function tailOf(file: string, lines = 20): Promise<string> {
  try {
    const text = (await readFile(file, 'utf8')).trimEnd();
    return text.split('\n').slice(-lines).join('\n') || '(empty)';
  } catch {
    return '(no log)';
  }
}
