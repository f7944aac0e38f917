import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RunJsonSchema } from '@localds/scorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, localds } from './helpers/stack.js';
import { fence, folderOf, readTree, replayJson } from './run-helpers.js';

/** `localds run` as a user meets it: the printed scorecards, trials, bad input, and Ctrl-C. */
let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'localds-runs-cli-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

async function replayFile(name: string, responses: string[]): Promise<string> {
  const file = join(out, `${name}.json`);
  await writeFile(file, replayJson(responses));
  return file;
}

describe('localds run (CLI)', () => {
  it('prints each scorecard and, with --trials, the mean, spread and how many scored 100', async () => {
    const replay = await replayFile('tiny', [
      `A first look.\n\n${fence("print('hello')")}`,
      'DONE',
    ]);
    const cli = await localds([
      'run',
      '--stdlib-only',
      '--model',
      `replay:${replay}`,
      '--trials',
      '2',
      '--out',
      out,
    ]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout.match(/^Score \d+ of \d+ judged .*full mode/gm)).toHaveLength(2);
    expect(cli.stdout.match(/^\[scripted\] .*: \d+ of \d+ judged, ended done -> /gm)).toHaveLength(
      2,
    );
    expect(cli.stdout).toMatch(
      /^2 trial\(s\): mean [\d.]+, sd [\d.]+, range \d+–\d+, 0\/2 scored 100$/m,
    );
    expect(cli.stderr).toMatch(/cell 0: ok/);
    // Two folders side by side under the model's slug.
    const dirs = [...cli.stdout.matchAll(/ -> (\S+)$/gm)].map((m) => m[1]!);
    expect(new Set(dirs).size).toBe(2);
    for (const dir of dirs) {
      expect(dir.startsWith(resolve(out, 'ab-test-analysis', 'replay-tiny'))).toBe(true);
      expect(existsSync(join(dir, 'run.json'))).toBe(true);
    }
    // Each trial records its 1-based index, what paired comparisons match on.
    const indices = dirs.map(
      (dir) =>
        RunJsonSchema.parse(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'))).trial_index,
    );
    expect(indices).toEqual([1, 2]);
  }, 120_000);

  it('stops with a clear message on bad input, before running anything', async () => {
    const bad = await localds(['run', '--model', 'gpt4', '--out', out]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/expected openai:<baseURL>#<model> or replay:<file>/);
    const missing = await localds(['run', '--model', 'replay:no-such-file.json', '--out', out]);
    expect(missing.stderr).toMatch(/cannot read the replay file no-such-file\.json/);
    // Keys come from the environment only: without LOCALDS_SUPABASE_KEY, Supabase mode refuses.
    const replay = await replayFile('never-run', ['DONE']);
    const noKey = await localds(
      ['run', '--model', `replay:${replay}`, '--supabase-url', 'http://127.0.0.1:1', '--out', out],
      { LOCALDS_SUPABASE_KEY: '' },
    );
    expect(noKey.code).not.toBe(0);
    expect(noKey.stderr).toMatch(
      /--supabase-url needs the project key in the environment variable LOCALDS_SUPABASE_KEY/,
    );
    expect(existsSync(join(out, 'ab-test-analysis', 'replay-never-run'))).toBe(false);
  });

  it('preflight: packages that cannot be loaded stop the run before it starts, exit 4, with the fix', async () => {
    const replay = await replayFile('needs-packages', ['DONE']);
    const unreachable = 'http://127.0.0.1:9/pyodide/';
    const cli = await localds([
      'run',
      '--model',
      `replay:${replay}`,
      '--index-url',
      unreachable,
      '--out',
      out,
    ]);
    expect(cli.code, cli.stderr).toBe(4);
    expect(cli.stderr).toContain(
      `localds: the benchmark's Python packages (pandas, scipy, matplotlib, requests) could not be loaded from ${unreachable}: could not reach the package index at ${unreachable}pyodide-lock.json`,
    );
    expect(cli.stderr).toMatch(
      /The run did not start\. To fix it: self-host the Pyodide distribution/,
    );
    expect(cli.stderr).toMatch(/--index-url/);
    expect(cli.stderr).toMatch(/--stdlib-only/);
    expect(existsSync(join(out, 'ab-test-analysis', 'replay-needs-packages'))).toBe(false);
    // Native without pandas (the interpreter without its site-packages) is the same kind of failure.
    const bare = join(out, 'bare-python');
    await writeFile(bare, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n', { mode: 0o755 });
    const native = await localds([
      'run',
      '--model',
      `replay:${replay}`,
      '--python',
      'native',
      '--python-bin',
      bare,
      '--out',
      out,
    ]);
    expect(native.code, native.stderr).toBe(4);
    expect(native.stderr).toContain(`${bare} lacks pandas, scipy, matplotlib, requests`);
    expect(existsSync(join(out, 'ab-test-analysis', 'replay-needs-packages'))).toBe(false);
    // --stdlib-only hides packages in Pyodide only: with native it is a usage error.
    const usage = await localds([
      'run',
      '--model',
      `replay:${replay}`,
      '--python',
      'native',
      '--stdlib-only',
      '--out',
      out,
    ]);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/--stdlib-only runs in Pyodide only/);
  }, 120_000);

  it('a replay declaring "environment": "stdlib-only" runs so without the flag; a bad value is refused', async () => {
    const file = join(out, 'declares-stdlib.json');
    await writeFile(
      file,
      JSON.stringify({ environment: 'stdlib-only', responses: [`${fence('import json')}\nDONE`] }),
    );
    const unreachable = 'http://127.0.0.1:9/pyodide/';
    const cli = await localds([
      'run',
      '--model',
      `replay:${file}`,
      '--index-url',
      unreachable,
      '--out',
      out,
    ]);
    expect(cli.code, cli.stderr).toBe(0);
    const runJson = RunJsonSchema.parse(
      JSON.parse(readTree(folderOf(cli.stdout)).get('run.json')!.toString('utf8')),
    );
    expect(runJson.environment).toEqual({ packages: 'stdlib-only', loaded: [] });
    expect(runJson.prompts.user).toContain(
      'Python packages available: only the Python standard library',
    );
    const bad = join(out, 'bad-environment.json');
    await writeFile(bad, JSON.stringify({ environment: 'numpy-only', responses: ['DONE'] }));
    const refused = await localds(['run', '--model', `replay:${bad}`, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /the replay file's "environment" must be "full" or "stdlib-only"/,
    );
  }, 120_000);

  it('records a partial run (end_reason aborted) when interrupted with SIGINT mid-cell', async () => {
    const replay = await replayFile('slow', [
      `${fence("open('progress.txt', 'w').write('first cell ran')")}\n\n${fence(
        'import time\nfor _ in range(600):\n    time.sleep(0.1)',
      )}`,
      'DONE',
    ]);
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'packages/cli/bin/localds.js'),
        'run',
        '--stdlib-only',
        '--model',
        `replay:${replay}`,
        '--out',
        out,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const running = new Promise<void>((resolveRunning) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/cell 1 running/.test(stderr)) resolveRunning();
      });
    });
    const exited = new Promise<number | null>((resolveExit) =>
      child.on('exit', (code) => resolveExit(code)),
    );
    await running;
    child.kill('SIGINT');
    const code = await exited;
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted: stopping the run/);
    const dir = folderOf(stdout);
    const files = readTree(dir);
    const runJson = RunJsonSchema.parse(JSON.parse(files.get('run.json')!.toString('utf8')));
    expect(runJson.end_reason).toBe('aborted');
    expect(runJson.trace!.cells.map((c) => c.status)).toEqual(['ok', 'interrupted']);
    expect(files.get('progress.txt')!.toString()).toBe('first cell ran');
    expect(files.has('analysis.ipynb')).toBe(true);
    expect(runJson.scorecard!.notes.join('\n')).toMatch(
      /counterfactual not run: the run ended with aborted/,
    );
  }, 120_000);
});
