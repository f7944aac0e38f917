import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
} from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunJsonSchema, type RunJson } from '@localds/scorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, isRunning, localds, type StartedStack } from './helpers/stack.js';
import { fence, readTree, replayJson } from './run-helpers.js';

/**
 * `localds run` under faults: killed mid-cell (SIGKILL, SIGTERM) at both Node levels, it leaves no
 * process behind and a partial run folder `localds score` reads; an unwritable --out is refused before
 * the model is called.
 */
const CLI = join(REPO_ROOT, 'packages/cli/bin/localds.js');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'localds-cli-faults-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(`${work}-stacks`, { recursive: true, force: true });
});

/** Every descendant of `pid` now (children first found through /proc/<pid>/task/<tid>/children). */
function descendants(pid: number): number[] {
  const found: number[] = [];
  const read = (read: () => string) => {
    try {
      return read();
    } catch {
      return ''; // the process or thread is already gone
    }
  };
  const walk = (parent: number) => {
    const tasks = read(() => readdirSync(`/proc/${parent}/task`).join(' '));
    for (const tid of tasks.split(' ').filter(Boolean)) {
      const children = read(() => readFileSync(`/proc/${parent}/task/${tid}/children`, 'utf8'));
      for (const child of children.split(/\s+/).filter(Boolean).map(Number)) {
        if (found.includes(child)) continue;
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor: (pattern: RegExp) => Promise<void>;
}

function startRun(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [CLI, 'run', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const w of waiters.splice(0)) {
      if (w.pattern.test(stderr)) w.resolve();
      else waiters.push(w);
    }
  };
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
    check();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ pattern, resolve });
        check();
        void exited.then(() => reject(new Error(`exited before ${pattern}:\n${stderr}`)));
      }),
  };
}

/** The one run folder under `out` (runs/<benchmark>/<slug>/<id>). */
function onlyRunFolder(out: string): string {
  const folders: string[] = [];
  for (const bench of readdirSync(out))
    for (const slug of readdirSync(join(out, bench)))
      for (const id of readdirSync(join(out, bench, slug)))
        folders.push(join(out, bench, slug, id));
  expect(folders).toHaveLength(1);
  return folders[0]!;
}

function readRunJson(dir: string): RunJson {
  return RunJsonSchema.parse(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')));
}

const tempDirsOf = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('localds-'));

const LEVELS = [
  { python: 'pyodide', isolation: 'node-pyodide' },
  { python: 'native', isolation: 'native-bwrap' },
] as const;

describe.each(LEVELS)('localds run --python $python killed mid-cell', ({ python, isolation }) => {
  async function startLoopingRun(name: string) {
    const dir = join(work, `${python}-${name}`);
    const out = join(dir, 'out');
    const temp = join(dir, 'tmp'); // the run's own TMPDIR: its localds-run-* directory is ours to see
    await mkdir(temp, { recursive: true });
    const replay = join(dir, 'loop.json');
    await writeFile(
      replay,
      replayJson([
        `${fence("open('progress.txt', 'w').write('first cell ran')")}\n\n${fence('while True:\n    pass')}`,
        'DONE',
      ]),
    );
    const run = startRun(
      [
        '--model',
        `replay:${replay}`,
        '--python',
        python,
        // Pyodide's packages come from a CDN this machine cannot reach: the standard library only.
        ...(python === 'pyodide' ? ['--stdlib-only'] : []),
        '--cell-timeout',
        '600',
        '--out',
        out,
      ],
      { TMPDIR: temp, LOCALDS_DEBUG: '' },
    );
    await run.waitFor(/cell 1 running/);
    // The partial folder is on disk once cell 0 finished (its checkpoint is written asynchronously).
    for (let i = 0; i < 50 && !existsSync(out); i++) await new Promise((r) => setTimeout(r, 100));
    const pids = descendants(run.child.pid!);
    expect(pids.length, 'the sandbox processes').toBeGreaterThan(0);
    expect(tempDirsOf(temp).some((n) => n.startsWith(`localds-run-p${run.child.pid}-`))).toBe(true);
    return { run, out, temp, pids };
  }

  async function expectNothingLeft(pids: number[]) {
    await new Promise((r) => setTimeout(r, 2000));
    expect(pids.filter(isRunning), 'processes alive 2 s after the kill').toEqual([]);
  }

  it('SIGKILL: no process survives, the partial run is marked interrupted and scores', async () => {
    const { run, out, temp, pids } = await startLoopingRun('sigkill');
    // Let cell 1 spin past the checkpoint of cell 0.
    await new Promise((r) => setTimeout(r, 1000));
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    await expectNothingLeft(pids);

    const folder = onlyRunFolder(out);
    const runJson = readRunJson(folder);
    expect(runJson.end_reason).toBe('interrupted');
    expect(runJson.timings.finished_at).toBeNull();
    expect(runJson.isolation).toBe(isolation);
    expect(runJson.trace!.cells.map((c) => c.status)).toEqual(['ok']);
    expect(runJson.data.snapshot).not.toBeNull();
    const notebook = JSON.parse(readFileSync(join(folder, 'analysis.ipynb'), 'utf8')) as {
      cells: { cell_type: string; source: string[] }[];
    };
    expect(
      notebook.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join('')),
    ).toEqual(["open('progress.txt', 'w').write('first cell ran')"]);
    // Nothing half-written beside it.
    expect([...readTree(folder).keys()].sort()).toEqual(['analysis.ipynb', 'run.json']);

    const scored = await localds(['score', folder, '--format', 'text', '--python', python]);
    expect(scored.code, scored.stderr).toBe(0);
    expect(scored.stdout).toMatch(/^Score \d+ of \d+ judged \(\d+%[^)]*\), full mode/m);

    // The dead run's working directory (with the run key in supabase.json) is cleaned at the next start,
    // here a run refused for its --out, which starts nothing else.
    expect(tempDirsOf(temp).some((n) => n.startsWith(`localds-run-p${run.child.pid}-`))).toBe(true);
    await writeFile(join(temp, 'a-file'), '');
    const next = await localds(
      ['run', '--model', 'replay:none.json', '--out', join(temp, 'a-file')],
      {
        TMPDIR: temp,
      },
    );
    expect(next.code).toBe(1);
    expect(tempDirsOf(temp)).toEqual([]);
  }, 180_000);

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    '%s: the run is written as aborted, exits %i, leaves no process or temp dir',
    async (signal, exitCode) => {
      const { run, out, temp, pids } = await startLoopingRun(signal);
      run.child.kill(signal);
      const { code } = await run.exited;
      expect(code, run.stderr()).toBe(exitCode);
      expect(run.stderr()).toContain(
        `interrupted: stopping the run and writing what it did (${signal};`,
      );
      await expectNothingLeft(pids);
      expect(tempDirsOf(temp)).toEqual([]);

      const folder = onlyRunFolder(out);
      expect(run.stdout()).toContain(`ended aborted`);
      const runJson = readRunJson(folder);
      expect(runJson.end_reason).toBe('aborted');
      expect(runJson.timings.finished_at).not.toBeNull();
      expect(runJson.trace!.cells.map((c) => c.status)).toEqual(['ok', 'interrupted']);
      expect(readFileSync(join(folder, 'progress.txt'), 'utf8')).toBe('first cell ran');
      // compat: full mode would re-execute the endless cell for the counterfactual (up to its timeout).
      const scored = await localds(['score', folder, '--format', 'text', '--mode', 'compat']);
      expect(scored.code, scored.stderr).toBe(0);
    },
    180_000,
  );
});

describe('localds run --out checked before the model is called', () => {
  let server: Server;
  let calls = 0;
  let baseUrl: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      calls++;
      res.writeHead(500).end('no');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** `localds run` against the counting model server. */
  const runArgs = (out: string) => [
    'run',
    '--model',
    `openai:${baseUrl}#m`,
    '--python',
    'native',
    '--out',
    out,
  ];

  /** `localds run` against the counting server, inside a private mount namespace where `ro` is read-only. */
  async function runWithReadOnly(ro: string, out: string) {
    const cli = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        'unshare',
        [
          '--user',
          '--map-root-user',
          '--mount',
          'sh',
          '-c',
          'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"',
          'sh',
          ro,
          process.execPath,
          CLI,
          ...runArgs(out),
        ],
        { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    return cli;
  }

  it('a read-only --out fails at once, naming the read-only file system; nothing is asked of the model', async () => {
    const ro = join(work, 'read-only');
    await mkdir(join(ro, 'runs'), { recursive: true });
    const existing = await runWithReadOnly(ro, join(ro, 'runs'));
    expect(existing.code, existing.stderr).toBe(1);
    expect(existing.stderr).toMatch(/--out \S+\/runs is on a read-only file system/);
    const toCreate = await runWithReadOnly(ro, join(ro, 'new', 'runs'));
    expect(toCreate.code, toCreate.stderr).toBe(1);
    expect(toCreate.stderr).toMatch(
      /--out \S+\/new\/runs cannot be created: \S+read-only is on a read-only file system/,
    );
    expect(calls).toBe(0);
  });

  it('an --out that is a file, or lies under one, is named as such', async () => {
    const file = join(work, 'a-file');
    await writeFile(file, 'x');
    const isFile = await localds(runArgs(file));
    expect(isFile.code).toBe(1);
    expect(isFile.stderr).toContain(`--out ${file} is a file, not a directory`);
    const under = await localds(runArgs(join(file, 'runs')));
    expect(under.stderr).toContain(`cannot be created: ${file} is a file, not a directory`);
    expect(isFile.stderr + under.stderr).not.toMatch(/ENOTDIR|ENOENT|EEXIST/);
    expect(calls).toBe(0);
  });

  it('a run the model server failed exits with the code of its end reason, not 0', async () => {
    const out = join(work, 'server-500');
    const cli = await localds(runArgs(out));
    expect(calls).toBeGreaterThan(0);
    const runJson = readRunJson(onlyRunFolder(out));
    expect(['model_error', 'environment_error']).toContain(runJson.end_reason);
    expect(cli.code, cli.stderr).toBe(runJson.end_reason === 'model_error' ? 3 : 4);
  }, 120_000);
});

describe('localds supabase after its supervisor was killed', () => {
  it('status reports each process; stop without an id stops the orphaned stack', async () => {
    // Beside the work dir, not in it: the database runs as nobody and must reach its directory.
    const env = { LOCALDS_SUPABASE_ROOT: `${work}-stacks` };
    const started = await localds(['supabase', 'start', '--json', '--no-supabase-json'], env);
    expect(started.code, started.stderr).toBe(0);
    const stack = JSON.parse(started.stdout) as StartedStack;
    const { supervisor, postgres, postgrest } = stack.pids;
    expect([supervisor, postgres, postgrest].every((pid) => pid && isRunning(pid))).toBe(true);

    process.kill(supervisor, 'SIGKILL');
    for (let i = 0; i < 50 && isRunning(supervisor); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(
      isRunning(postgres!) && isRunning(postgrest!),
      'the servers outlive their supervisor',
    ).toBe(true);

    const status = await localds(['supabase', 'status'], env);
    expect(status.stdout).toContain(`${stack.id}  partly running`);
    expect(status.stdout).toContain(
      `supervisor+front dead (pid ${supervisor}), postgres alive (pid ${postgres}), postgrest alive (pid ${postgrest})`,
    );
    const json = JSON.parse((await localds(['supabase', 'status', '--json'], env)).stdout) as {
      id: string;
      health: string;
      processes: Record<string, boolean | null>;
    }[];
    expect(json).toMatchObject([
      {
        id: stack.id,
        health: 'partly running',
        processes: { supervisor: false, postgres: true, postgrest: true },
      },
    ]);

    const stopped = await localds(['supabase', 'stop'], env);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain(`Stopped ${stack.id}`);
    expect([postgres, postgrest].filter((pid) => isRunning(pid!))).toEqual([]);
    expect(existsSync(stack.dir)).toBe(false);
    expect((await localds(['supabase', 'status'], env)).stdout).toBe('No stacks.\n');
  }, 180_000);
});

describe('localds score on hostile run folders', () => {
  const SECRET = 'root:x:0:0:localds-secret-line';
  const FIXTURE = join(REPO_ROOT, 'packages/scorer/fixtures/runs/correct');

  async function hostile(name: string, plant: (dir: string) => Promise<void> | void) {
    const dir = join(work, 'hostile', name);
    await mkdir(dir, { recursive: true });
    cpSync(FIXTURE, dir, { recursive: true });
    rmSync(join(dir, 'summary.json'));
    await plant(dir);
    const cli = await localds(['score', dir, '--scenario', 'canonical', '--format', 'text']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(`${cli.stdout}${cli.stderr}`).not.toContain('localds-secret-line');
    expect(`${cli.stdout}${cli.stderr}`).not.toMatch(/call stack|ENXIO|EISDIR|ELOOP/i);
    return cli.stdout;
  }

  it('symlinks to a secret file outside: refused, never read or quoted', async () => {
    const secret = join(work, 'secret.txt');
    await writeFile(secret, `${SECRET}\n`);
    const out = await hostile('symlinks', (dir) => {
      symlinkSync(secret, join(dir, 'summary.json'));
      symlinkSync(secret, join(dir, 'metadata.json'));
      rmSync(join(dir, 'chart-distribution.png'));
      symlinkSync(secret, join(dir, 'chart-distribution.png'));
    });
    expect(out).toMatch(
      /FAIL {2}summary_valid .* summary\.json refused: a symbolic link \(not followed\)/,
    );
    expect(out).toContain('  - chart-distribution.png refused: a symbolic link (not followed)');
    expect(out).toContain('  - metadata.json refused: a symbolic link (not followed)');
  });

  it('a FIFO is not opened (no hang)', async () => {
    const out = await hostile('fifo', (dir) => {
      execFileSync('mkfifo', [join(dir, 'summary.json')]);
    });
    expect(out).toMatch(/summary_valid .* summary\.json refused: a FIFO \(not opened\)/);
  });

  it('a 200 MB summary.json is refused by its size, before reading', async () => {
    const out = await hostile('huge', async (dir) => {
      await writeFile(join(dir, 'summary.json'), '');
      truncateSync(join(dir, 'summary.json'), 200 * 1024 * 1024);
    });
    expect(out).toMatch(
      /summary_valid .* summary\.json refused: 200 MiB, over the 64 MiB cap for one file \(not read\)/,
    );
  });

  it('a 100,000-level nested summary.json gets a plain message', async () => {
    const out = await hostile('nested', (dir) =>
      writeFile(join(dir, 'summary.json'), `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
    );
    expect(out).toMatch(
      /summary_valid .* parse error: nested more than 512 levels deep \(not read\)/,
    );
  });

  it('a schema-invalid run.json is named by its field and never silently scored in another mode', async () => {
    const dir = join(work, 'invalid-run-json');
    cpSync(join(REPO_ROOT, 'packages/scorer/fixtures/runs/full-correct'), dir, { recursive: true });
    const runJson = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as {
      trace: { cells: { status: string }[] };
    };
    runJson.trace.cells[0]!.status = 'exploded';
    await writeFile(join(dir, 'run.json'), JSON.stringify(runJson));
    for (const extra of [[], ['--scenario', 'canonical']]) {
      const cli = await localds(['score', dir, ...extra]);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toMatch(/run\.json: trace\.cells\.0\.status: .*pass --mode compat/);
      expect(cli.stderr).not.toMatch(/has no run\.json data snapshot/);
    }
    const compat = await localds(['score', dir, '--scenario', 'canonical', '--mode', 'compat']);
    expect(compat.code, compat.stderr).toBe(0);
    expect(compat.stdout).toMatch(/"mode": "compat"/);
    expect(compat.stdout).toMatch(/run\.json: trace\.cells\.0\.status/);
  });
});
