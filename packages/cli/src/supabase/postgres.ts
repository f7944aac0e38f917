import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { access, chown, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sleep } from './processes.js';
import type { RunAs } from './unprivileged.js';

const run = promisify(execFile);

/** Debian installs each PostgreSQL major version under /usr/lib/postgresql/<version>/bin. */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'postgres';

export interface PostgresInstall {
  version: string;
  binDir: string;
}

/** The newest PostgreSQL installed the Debian way, or a clear error naming the apt package. */
export async function findPostgres(root = DEBIAN_POSTGRES_ROOT): Promise<PostgresInstall> {
  const versions = await readdir(root).catch(() => [] as string[]);
  const usable: PostgresInstall[] = [];
  for (const version of versions) {
    const binDir = join(root, version, 'bin');
    const tools = ['postgres', 'initdb', 'psql', 'pg_isready'].map((t) => join(binDir, t));
    if (
      (
        await Promise.all(
          tools.map((t) =>
            access(t).then(
              () => true,
              () => false,
            ),
          ),
        )
      ).every(Boolean)
    ) {
      usable.push({ version, binDir });
    }
  }
  usable.sort((a, b) => Number(b.version) - Number(a.version));
  const newest = usable[0];
  if (!newest) {
    throw new Error(
      `PostgreSQL was not found under ${root}/<version>/bin. Install the Debian package \`postgresql\` ` +
        '(apt-get install -y postgresql); it brings the server, initdb and psql.',
    );
  }
  return newest;
}

/** Creates an empty cluster with trust auth owned by the unprivileged user. */
export async function initCluster(
  pg: PostgresInstall,
  dataDir: string,
  runAs?: RunAs,
): Promise<void> {
  await mkdir(dataDir, { mode: 0o700 });
  if (runAs) await chown(dataDir, runAs.uid, runAs.gid);
  const args = ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--no-locale'];
  // --no-sync: the cluster is throwaway, durability buys nothing and costs seconds.
  await run(join(pg.binDir, 'initdb'), [...args, '--no-sync'], { ...runAs, cwd: dataDir });
}

/**
 * Runs the server in the foreground (no pg_ctl), so the supervisor owns its pid. Loopback
 * only, no Unix socket (the default socket directory is not writable by `nobody`), UTC.
 */
export function startPostgres(
  pg: PostgresInstall,
  options: { dataDir: string; port: number; runAs?: RunAs; log: number },
): ChildProcess {
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    TimeZone: 'UTC',
    // A throwaway, read-mostly database: skip what only protects data across crashes.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '30',
  };
  const args = ['-D', options.dataDir, '-p', String(options.port)];
  for (const [key, value] of Object.entries(settings)) args.push('-c', `${key}=${value}`);
  return spawn(join(pg.binDir, 'postgres'), args, {
    ...options.runAs,
    cwd: options.dataDir,
    stdio: ['ignore', options.log, options.log],
  });
}

/** Polls pg_isready until the server accepts connections, the process dies, or time runs out. */
export async function waitForPostgres(
  pg: PostgresInstall,
  port: number,
  server: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const isready = join(pg.binDir, 'pg_isready');
  const args = ['-h', '127.0.0.1', '-p', String(port), '-U', SUPERUSER, '-d', 'postgres'];
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error('PostgreSQL exited during startup');
    }
    if (
      await run(isready, args).then(
        () => true,
        () => false,
      )
    )
      return;
    if (Date.now() > deadline)
      throw new Error(`PostgreSQL did not accept connections within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Runs SQL as the superuser over TCP (trust auth), stopping at the first error. */
export async function runSql(
  pg: PostgresInstall,
  port: number,
  source: { file: string } | { sql: string },
): Promise<void> {
  const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port)];
  args.push('-U', SUPERUSER, '-d', 'postgres');
  args.push(...('file' in source ? ['-f', source.file] : ['-c', source.sql]));
  try {
    await run(join(pg.binDir, 'psql'), args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`psql failed: ${stderr || (error as Error).message}`, { cause: error });
  }
}
