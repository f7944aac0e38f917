import type { ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { randomJwtSecret, signAnonKey } from './anon-key.js';
import { createFront } from './front.js';
import { freePort } from './net.js';
import { findPostgres, initCluster, runSql, startPostgres, waitForPostgres } from './postgres.js';
import { startPostgrest, waitForPostgrest } from './postgrest.js';
import {
  type StackInfo,
  type StackRequest,
  type StackState,
  stateFile,
  writeJsonAtomic,
} from './state.js';
import { unprivilegedUser } from './unprivileged.js';

/** Supabase's two API roles, minus service_role: `authenticator` logs in and becomes `anon`. */
const ROLES_SQL = `
create role anon nologin noinherit;
create role authenticator login noinherit;
grant anon to authenticator;
grant usage on schema public to anon;
`;

/** Whatever the seed granted, `anon` ends up able to read every public table and write none. */
const READ_ONLY_SQL = `
grant select on all tables in schema public to anon;
revoke insert, update, delete, truncate, references, trigger on all tables in schema public from anon;
revoke usage, update on all sequences in schema public from anon;
`;

const STARTUP_STEP_TIMEOUT_MS = 30_000;

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

/** Resolves when the child has exited, sending SIGKILL if it outlives the grace period. */
function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/**
 * Owns one stack: PostgreSQL, PostgREST and the front. Records progress in state.json, and on
 * SIGTERM/SIGINT stops everything and deletes the stack's directory.
 */
export class Supervisor {
  private postgres: ChildProcess | undefined;
  private postgrest: ChildProcess | undefined;
  private front: Server | undefined;
  private stopping = false;
  private readonly pids: StackState['pids'] = { supervisor: process.pid };

  constructor(private readonly request: StackRequest) {}

  async start(): Promise<StackInfo> {
    const { dir } = this.request;
    await this.record({ status: 'starting', id: this.request.id, pids: this.pids });
    const pg = await findPostgres();
    const runAs = await unprivilegedUser();
    const dataDir = join(dir, 'pgdata');
    log(`initdb ${dataDir} (PostgreSQL ${pg.version}${runAs ? `, uid ${runAs.uid}` : ''})`);
    await initCluster(pg, dataDir, runAs);

    const dbPort = await freePort();
    this.postgres = this.own(
      startPostgres(pg, {
        dataDir,
        port: dbPort,
        runAs,
        log: openSync(join(dir, 'postgres.log'), 'a'),
      }),
      'PostgreSQL',
    );
    this.pids.postgres = this.postgres.pid;
    await waitForPostgres(pg, dbPort, this.postgres, STARTUP_STEP_TIMEOUT_MS);
    log(`postgres ready on ${dbPort}; seeding`);
    await runSql(pg, dbPort, { sql: ROLES_SQL });
    await runSql(pg, dbPort, { file: this.request.seedFile });
    await runSql(pg, dbPort, { sql: READ_ONLY_SQL });

    const jwtSecret = randomJwtSecret();
    const restPort = await freePort();
    this.postgrest = this.own(
      startPostgrest({
        dbPort,
        port: restPort,
        jwtSecret,
        runAs,
        log: openSync(join(dir, 'postgrest.log'), 'a'),
      }),
      'PostgREST',
    );
    this.pids.postgrest = this.postgrest.pid;
    await waitForPostgrest(restPort, this.postgrest, STARTUP_STEP_TIMEOUT_MS);

    const anonKey = signAnonKey(jwtSecret, Math.floor(Date.now() / 1000));
    this.front = createFront({ upstream: { host: '127.0.0.1', port: restPort }, anonKey });
    const frontPort = await listen(this.front, this.request.port);
    const url = `http://127.0.0.1:${frontPort}`;
    const info: StackInfo = {
      status: 'ready',
      id: this.request.id,
      dir,
      cwd: this.request.cwd,
      startedAt: new Date().toISOString(),
      pids: this.pids,
      ports: { front: frontPort, postgres: dbPort, postgrest: restPort },
      postgresVersion: pg.version,
      url,
      tableUrl: `${url}/rest/v1/${this.request.table}`,
      anonKey,
    };
    await this.record(info);
    log(`ready at ${url}`);
    return info;
  }

  /** Startup failed: stop what runs, keep the directory so `start` can show the logs. */
  async fail(error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    log(`startup failed: ${message}`);
    await this.stopProcesses();
    await this.record({ status: 'failed', id: this.request.id, pids: this.pids, error: message });
  }

  /** Clean shutdown: processes first (PostgreSQL with a fast shutdown), then the directory. */
  async stop(): Promise<void> {
    await this.stopProcesses();
    await rm(this.request.dir, { recursive: true, force: true });
  }

  private async stopProcesses(): Promise<void> {
    this.stopping = true;
    this.front?.close();
    this.front?.closeAllConnections();
    const waits: Promise<void>[] = [];
    if (this.postgrest) waits.push(stopChild(this.postgrest, 'SIGTERM', 5_000));
    // SIGINT is PostgreSQL's "fast" shutdown: abort sessions, checkpoint, exit.
    if (this.postgres) waits.push(stopChild(this.postgres, 'SIGINT', 10_000));
    await Promise.all(waits);
  }

  /** A child that dies on its own takes the stack down: a half stack is worse than none. */
  private own(child: ChildProcess, name: string): ChildProcess {
    // A stop that arrived mid-startup must not leave a process started after it behind.
    if (this.stopping) child.kill('SIGKILL');
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      const error = new Error(`${name} exited unexpectedly (${signal ?? `code ${code}`})`);
      void this.fail(error).finally(() => process.exit(1));
    });
    return child;
  }

  private async record(state: StackState): Promise<void> {
    if (this.stopping && state.status !== 'failed') return;
    await writeJsonAtomic(stateFile(this.request.dir), state);
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('the front did not report its port'));
    });
  });
}
