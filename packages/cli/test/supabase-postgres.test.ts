import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPostgres } from '../src/supabase/postgres.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'localds-pg-layout-'));
  // A Debian-like layout: 13 and 15 complete, 16 missing psql (a half-installed package).
  for (const [version, tools] of [
    ['13', ['postgres', 'initdb', 'psql', 'pg_isready']],
    ['15', ['postgres', 'initdb', 'psql', 'pg_isready']],
    ['16', ['postgres', 'initdb', 'pg_isready']],
  ] as const) {
    await mkdir(join(root, version, 'bin'), { recursive: true });
    for (const tool of tools) await writeFile(join(root, version, 'bin', tool), '');
  }
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('findPostgres', () => {
  it('picks the newest complete installation', async () => {
    expect(await findPostgres(root)).toEqual({ version: '15', binDir: join(root, '15', 'bin') });
  });

  it('names the apt package when PostgreSQL is absent', async () => {
    await expect(findPostgres(join(root, 'nothing-here'))).rejects.toThrow(
      /Debian package `postgresql`/,
    );
  });
});
