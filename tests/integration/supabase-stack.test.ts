import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, stopStack } from '../../packages/cli/src/supabase/index.js';
import { type StartedStack, fetchAllRows, isRunning, localds } from './helpers/stack.js';

/**
 * The real stack (Debian PostgreSQL + PostgREST from npm + the front), driven through the built
 * CLI as a user would. Stacks live under a root of their own so `stop --all` touches only ours.
 */
const env = {
  LOCALDS_SUPABASE_ROOT: join(tmpdir(), `localds-supabase-test-${randomBytes(4).toString('hex')}`),
};
const STARTUP_MS = 90_000;
/** Generous per-test limit: correctness is tested here, speed belongs in benchmarks. */
const STEP_MS = 30_000;

let work: string;
let small: StartedStack;
let large: StartedStack;

interface Row {
  id: number;
  event: string;
}

async function start(args: string[]): Promise<StartedStack> {
  const result = await localds(['supabase', 'start', '--json', ...args], env);
  if (result.code !== 0) throw new Error(`supabase start failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as StartedStack;
}

async function dataset(scenario: string): Promise<Row[]> {
  const out = join(work, `${scenario}.json`);
  const result = await localds([
    'dataset',
    '--scenario',
    scenario,
    '--format',
    'json',
    '--out',
    out,
  ]);
  if (result.code !== 0) throw new Error(`dataset failed:\n${result.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8')) as Row[];
}

const get = (stack: StartedStack, query: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.tableUrl}${query}`, { headers });

beforeAll(async () => {
  // The programmatic API below reads the same root the CLI runs get.
  process.env.LOCALDS_SUPABASE_ROOT = env.LOCALDS_SUPABASE_ROOT;
  work = await mkdtemp(join(tmpdir(), 'localds-supabase-work-'));
  // Two stacks side by side, started concurrently like parallel test suites would.
  [small, large] = await Promise.all([
    start(['--supabase-json', join(work, 'supabase.json')]),
    start(['--scenario', 'large-paginated', '--no-supabase-json']),
  ]);
}, STARTUP_MS);

afterAll(async () => {
  await localds(['supabase', 'stop', '--all'], env);
  await rm(env.LOCALDS_SUPABASE_ROOT, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
}, 30_000);

describe('supabase start', { timeout: STEP_MS }, () => {
  it('writes a supabase.json whose url and headers fetch the whole table', async () => {
    const config = JSON.parse(readFileSync(join(work, 'supabase.json'), 'utf8')) as {
      url: string;
      headers: Record<string, string>;
    };
    expect(config.url).toBe(`${small.tableUrl}?select=*`);
    expect(config.headers).toEqual({
      apikey: small.anonKey,
      Authorization: `Bearer ${small.anonKey}`,
    });
    const response = await fetch(config.url, { headers: config.headers });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Row[]).length).toBeGreaterThan(0);
  });

  it('runs two stacks side by side, each with its own port, directory and key', () => {
    expect(small.ports.front).not.toBe(large.ports.front);
    expect(small.ports.postgres).not.toBe(large.ports.postgres);
    expect(small.dir).not.toBe(large.dir);
    expect(small.anonKey).not.toBe(large.anonKey);
    expect(small.url).toBe(`http://127.0.0.1:${small.ports.front}`);
    expect(small.tableUrl).toBe(`${small.url}/rest/v1/posthog_events`);
  });

  it('lists both stacks in status', async () => {
    const result = await localds(['supabase', 'status', '--json'], env);
    const ids = (JSON.parse(result.stdout) as { id: string; running: boolean }[])
      .filter((s) => s.running)
      .map((s) => s.id);
    expect(ids.sort()).toEqual([small.id, large.id].sort());
  });
});

describe('reading through the front', { timeout: STEP_MS }, () => {
  it('filters with PostgREST operators: event=eq.puzzle_started returns exactly those rows', async () => {
    const expected = (await dataset('canonical')).filter((r) => r.event === 'puzzle_started');
    const response = await get(small, '?select=*&event=eq.puzzle_started&order=id', {
      apikey: small.anonKey,
    });
    expect(response.status).toBe(200);
    const rows = (await response.json()) as Row[];
    expect(rows.length).toBe(expected.length);
    expect(rows.every((r) => r.event === 'puzzle_started')).toBe(true);
    expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });

  it('accepts the key as the apikey query parameter', async () => {
    const viaHeader = await get(small, '?select=id&order=id&limit=5', { apikey: small.anonKey });
    const viaParam = await get(small, `?select=id&order=id&limit=5&apikey=${small.anonKey}`);
    expect(viaParam.status).toBe(200);
    expect(await viaParam.json()).toEqual(await viaHeader.json());
  });

  it('refuses no key, a Bearer token alone, and a wrong or foreign key with 401', async () => {
    const none = await get(small, '?select=*');
    expect(none.status).toBe(401);
    const bearerOnly = await get(small, '?select=*', { Authorization: `Bearer ${small.anonKey}` });
    expect(bearerOnly.status).toBe(401);
    expect(await bearerOnly.json()).toEqual({
      message: 'No API key found in request',
      hint: 'No `apikey` request header or url param was found.',
    });
    const wrong = await get(small, '?select=*', { apikey: 'wrong' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { message: string }).message).toBe('Invalid API key');
    const foreign = await get(small, '?select=*', { apikey: large.anonKey });
    expect(foreign.status).toBe(401);
  });

  it('answers a CORS preflight without a key', async () => {
    const response = await fetch(`${small.tableUrl}?select=*`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'apikey,authorization,range,prefer,x-client-info',
      },
    });
    expect([200, 204]).toContain(response.status);
    expect(response.headers.get('access-control-allow-origin')).toMatch(
      /^(\*|http:\/\/localhost:5173)$/,
    );
    const allowed = response.headers.get('access-control-allow-headers')?.toLowerCase() ?? '';
    for (const header of ['apikey', 'authorization', 'range', 'prefer', 'x-client-info']) {
      expect(allowed).toContain(header);
    }
    const keyed = await get(small, '?select=id&limit=1', { apikey: small.anonKey });
    expect(keyed.headers.get('access-control-expose-headers')?.toLowerCase()).toContain(
      'content-range',
    );
  });

  it('keeps anon read-only: insert, update and delete are refused and change nothing', async () => {
    const headers = { apikey: small.anonKey, 'Content-Type': 'application/json' };
    const before = await fetchAllRows(small.tableUrl, small.anonKey);
    const attempts = [
      fetch(small.tableUrl, { method: 'POST', headers, body: '{"id":999999,"event":"x"}' }),
      fetch(`${small.tableUrl}?id=gte.0`, { method: 'PATCH', headers, body: '{"event":"x"}' }),
      fetch(`${small.tableUrl}?id=gte.0`, { method: 'DELETE', headers }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect([401, 403]).toContain(response.status);
      expect(((await response.json()) as { code: string }).code).toBe('42501');
    }
    expect(await fetchAllRows(small.tableUrl, small.anonKey)).toEqual(before);
  });
});

describe('a dataset larger than one page', { timeout: STEP_MS }, () => {
  it('caps a plain read at 1000 rows and reports the exact total with Prefer: count=exact', async () => {
    const total = (await dataset('large-paginated')).length;
    expect(total).toBeGreaterThan(1000);
    const capped = await get(large, '?select=*', { apikey: large.anonKey });
    expect(capped.status).toBe(200);
    expect(((await capped.json()) as Row[]).length).toBe(1000);
    expect(capped.headers.get('content-range')).toBe('0-999/*');
    const counted = await get(large, '?select=id&limit=10', {
      apikey: large.anonKey,
      Prefer: 'count=exact',
    });
    expect(counted.status).toBe(206);
    expect(counted.headers.get('content-range')).toBe(`0-9/${total}`);
  });

  it.each(['canonical', 'large-paginated'])(
    'serves %s exactly as `dataset --format json` writes it (all pages)',
    async (scenario) => {
      const stack = scenario === 'canonical' ? small : large;
      const served = await fetchAllRows(stack.tableUrl, stack.anonKey);
      expect(served).toEqual(await dataset(scenario));
    },
  );
});

describe('supabase stop', { timeout: STEP_MS }, () => {
  it('stops one stack by id, leaving no process and no directory, and the other untouched', async () => {
    const result = await localds(['supabase', 'stop', small.id], env);
    expect(result.code).toBe(0);
    for (const pid of Object.values(small.pids)) expect(isRunning(pid)).toBe(false);
    expect(existsSync(small.dir)).toBe(false);
    const other = await get(large, '?select=id&limit=1', { apikey: large.anonKey });
    expect(other.status).toBe(200);
  });

  it('stop --all stops the rest', async () => {
    const result = await localds(['supabase', 'stop', '--all'], env);
    expect(result.code).toBe(0);
    for (const pid of Object.values(large.pids)) expect(isRunning(pid)).toBe(false);
    expect(existsSync(large.dir)).toBe(false);
  });

  it('a stack that fails to seed reports psql and the logs, and leaves nothing behind', async () => {
    const bad = join(work, 'bad.sql');
    await writeFile(bad, 'create table oops (;\n');
    const result = await localds(['supabase', 'start', '--sql', bad, '--no-supabase-json'], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/psql failed: .*syntax error/);
    expect(result.stderr).toContain('postgres.log');
    const status = await localds(['supabase', 'status', '--json'], env);
    expect(JSON.parse(status.stdout)).toEqual([]);
  });
});

describe('the programmatic API', { timeout: STEP_MS }, () => {
  it('startStack keeps anon read-only even when the seed grants it writes; stopStack cleans up', async () => {
    const info = await startStack({
      seedSql: [
        'create table notes (id int primary key, body text);',
        "insert into notes values (1, 'kept');",
        'grant insert, update, delete on notes to anon;',
      ].join('\n'),
      table: 'notes',
    });
    try {
      expect(info.tableUrl).toBe(`${info.url}/rest/v1/notes`);
      const read = await fetch(`${info.tableUrl}?select=*`, { headers: { apikey: info.anonKey } });
      expect(await read.json()).toEqual([{ id: 1, body: 'kept' }]);
      const insert = await fetch(info.tableUrl, {
        method: 'POST',
        headers: { apikey: info.anonKey, 'Content-Type': 'application/json' },
        body: '{"id":2,"body":"new"}',
      });
      expect([401, 403]).toContain(insert.status);
    } finally {
      await stopStack(info);
    }
    for (const pid of Object.values(info.pids)) expect(isRunning(pid)).toBe(false);
    expect(existsSync(info.dir)).toBe(false);
  });
});
