import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './net.js';
import { isAlive, signal, sleep, tailOf, waitForExit } from './processes.js';
import {
  type StackInfo,
  type StackRequest,
  type StackState,
  ensureStacksRoot,
  readStackState,
  requestFile,
  stackDirs,
  writeJsonAtomic,
} from './state.js';

export interface StartStackOptions {
  /** SQL that creates and fills the tables; it runs as the superuser after roles `anon` and `authenticator` exist. */
  seedSql: string;
  /** The front's port; omitted or 0 picks a free one. */
  port?: number;
  /** The table behind the printed table URL and the readiness probe. Default `posthog_events`. */
  table?: string;
  /** Recorded so `stop` without an id can find the stack started from a directory. Default: process.cwd(). */
  cwd?: string;
  /** How long to wait for the whole stack to answer a real query. Default 60 s. */
  timeoutMs?: number;
  /** Aborting (e.g. on Ctrl-C) stops and removes the half-started stack. */
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const LOGS = ['daemon.log', 'postgres.log', 'postgrest.log'];

/** The compiled supervisor entry; from sources (tests) we still launch the built one. */
function daemonEntry(): string {
  const here = fileURLToPath(import.meta.url);
  const entry = here.endsWith('.ts')
    ? resolve(dirname(here), '../../dist/supabase/daemon.js')
    : join(dirname(here), 'daemon.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing; run \`npm run build\` first`);
  return entry;
}

async function logTails(dir: string): Promise<string> {
  const parts = await Promise.all(
    LOGS.map(async (name) => `--- ${name} (last lines) ---\n${await tailOf(join(dir, name))}`),
  );
  return parts.join('\n');
}

/** Asks the stack for one row through the front, the way a client would. */
async function probe(info: StackInfo): Promise<string | undefined> {
  try {
    const response = await fetch(`${info.tableUrl}?select=*&limit=1`, {
      headers: { apikey: info.anonKey },
    });
    const body = await response.text();
    return response.ok ? undefined : `${response.status} ${body}`;
  } catch (error) {
    return (error as Error).message;
  }
}

async function waitUntilReady(
  dir: string,
  supervisorPid: number,
  timeoutMs: number,
  abort?: AbortSignal,
): Promise<StackInfo> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'the supervisor did not report';
  for (;;) {
    const state: StackState | undefined = await readStackState(dir).catch(() => undefined);
    if (state?.status === 'failed') throw new Error(state.error);
    if (state?.status === 'ready') {
      const problem = await probe(state);
      if (problem === undefined) return state;
      lastProblem = `a query through the front failed: ${problem}`;
    }
    if (abort?.aborted) throw new Error('startup was interrupted');
    if (!isAlive(supervisorPid)) throw new Error('the supervisor exited during startup');
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms (${lastProblem})`);
    await sleep(100);
  }
}

/**
 * Starts a Supabase-compatible stack (PostgreSQL + PostgREST + front) under a detached
 * supervisor and resolves once the front answers a real query. On failure everything is
 * stopped and removed, and the error carries the tail of each log.
 */
export async function startStack(options: StartStackOptions): Promise<StackInfo> {
  if (options.port) {
    // Fail before the slow part: a taken port would only surface after initdb and seeding.
    await freePort(options.port).catch((error: NodeJS.ErrnoException) => {
      throw new Error(
        `port ${options.port} is not available (${error.code}); omit --port to pick a free one`,
        { cause: error },
      );
    });
  }
  const root = await ensureStacksRoot();
  const id = randomBytes(4).toString('hex');
  const dir = join(root, id);
  // Traversable by the unprivileged database user; the cluster inside is 0700.
  await mkdir(dir, { mode: 0o755 });
  await chmod(dir, 0o755);
  const seedFile = join(dir, 'seed.sql');
  await writeFile(seedFile, options.seedSql);
  const request: StackRequest = {
    id,
    dir,
    cwd: options.cwd ?? process.cwd(),
    port: options.port ?? 0,
    table: options.table ?? 'posthog_events',
    seedFile,
  };
  await writeJsonAtomic(requestFile(dir), request);

  const daemonLog = openSync(join(dir, 'daemon.log'), 'a');
  const daemon = spawn(process.execPath, [daemonEntry(), dir], {
    detached: true,
    stdio: ['ignore', daemonLog, daemonLog],
  });
  closeSync(daemonLog);
  daemon.unref();
  const supervisorPid = daemon.pid;
  if (supervisorPid === undefined) throw new Error('could not launch the stack supervisor');

  try {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return await waitUntilReady(dir, supervisorPid, timeoutMs, options.signal);
  } catch (error) {
    const tails = await logTails(dir);
    const state = await readStackState(dir).catch(() => undefined);
    await stopStack({ dir, pids: state?.pids ?? { supervisor: supervisorPid } });
    throw new Error(`the Supabase stack did not start: ${(error as Error).message}\n${tails}`, {
      cause: error,
    });
  }
}

export interface StopResult {
  /** Processes that ignored SIGTERM for the grace period and were killed. */
  killed: number[];
}

/**
 * Stops a stack: SIGTERM to its supervisor (which shuts PostgreSQL down fast and removes the
 * directory), SIGKILL for anything still alive after the grace period, then the directory.
 */
export async function stopStack(info: Pick<StackInfo, 'dir' | 'pids'>): Promise<StopResult> {
  const pids = [info.pids.supervisor, info.pids.postgrest, info.pids.postgres].filter(
    (pid): pid is number => pid !== undefined,
  );
  if (isAlive(info.pids.supervisor)) signal(info.pids.supervisor, 'SIGTERM');
  else {
    // An orphaned stack (its supervisor was killed): shut its servers down ourselves, PostgreSQL
    // with SIGINT (its fast shutdown), rather than wait out the grace period for nobody.
    if (info.pids.postgrest !== undefined) signal(info.pids.postgrest, 'SIGTERM');
    if (info.pids.postgres !== undefined) signal(info.pids.postgres, 'SIGINT');
  }
  const stragglers = await waitForExit(pids, STOP_GRACE_MS);
  for (const pid of stragglers) signal(pid, 'SIGKILL');
  const unkillable = await waitForExit(stragglers, 2_000);
  await rm(info.dir, { recursive: true, force: true });
  if (unkillable.length > 0) throw new Error(`processes ${unkillable.join(', ')} survived SIGKILL`);
  return { killed: stragglers };
}

/** Each process of a stack: alive, dead, or null when its pid was never recorded. */
export interface StackProcesses {
  /** The supervisor, which also serves the front (`/rest/v1`). */
  supervisor: boolean;
  postgres: boolean | null;
  postgrest: boolean | null;
}

export interface StackEntry {
  dir: string;
  /** undefined when the directory has no readable state.json (startup never got that far). */
  state: StackState | undefined;
  /** Whether its supervisor is still running. */
  running: boolean;
  /** undefined without a state.json. */
  processes: StackProcesses | undefined;
}

function processesOf(state: StackState): StackProcesses {
  const alive = (pid: number | undefined) => (pid === undefined ? null : isAlive(pid));
  return {
    supervisor: isAlive(state.pids.supervisor),
    postgres: alive(state.pids.postgres),
    postgrest: alive(state.pids.postgrest),
  };
}

/** Every stack directory under the stacks root, newest first. */
export async function listStacks(): Promise<StackEntry[]> {
  const entries = await Promise.all(
    (await stackDirs()).map(async (dir) => {
      const state = await readStackState(dir).catch(() => undefined);
      const processes = state ? processesOf(state) : undefined;
      return { dir, state, running: processes?.supervisor === true, processes };
    }),
  );
  const startedAt = (e: StackEntry) => (e.state?.status === 'ready' ? e.state.startedAt : '');
  return entries.sort((a, b) => startedAt(b).localeCompare(startedAt(a)));
}
