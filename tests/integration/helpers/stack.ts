import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = resolve(REPO_ROOT, 'packages/cli/bin/localds.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `localds` CLI from the repository root, never throwing on a non-zero exit. */
export async function localds(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

/** The subset of `supabase start --json` the tests rely on. */
export interface StartedStack {
  id: string;
  dir: string;
  url: string;
  tableUrl: string;
  anonKey: string;
  supabaseJson: string | null;
  pids: { supervisor: number; postgres?: number; postgrest?: number };
  ports: { front: number; postgres: number; postgrest: number };
}

/** Whether a pid is a live process (a zombie awaiting its reaper counts as gone). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Fetches every row of `select=*&order=id`, page by page past the 1000-row cap, via Range. */
export async function fetchAllRows(
  tableUrl: string,
  apikey: string,
  pageSize = 1000,
): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (let from = 0; ; from += pageSize) {
    const response = await fetch(`${tableUrl}?select=*&order=id`, {
      headers: { apikey, Range: `${from}-${from + pageSize - 1}` },
    });
    if (!response.ok)
      throw new Error(`page at ${from}: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as unknown[];
    rows.push(...page);
    if (page.length < pageSize) return rows;
  }
}
