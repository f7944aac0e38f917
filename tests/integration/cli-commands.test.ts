import { AB_TEST_TABLE } from '@localds/benchmarks';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeOracle } from '@localds/benchmarks';
import { generateDataset, toJson } from '@localds/benchmarks';
import { REPO_ROOT, localds } from './helpers/stack.js';

// The CLI as a user runs it: the built bin, from the repository root.
const CLI = resolve(REPO_ROOT, 'packages/cli/bin/localds.js');
const work = mkdtempSync(join(tmpdir(), 'localds-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('localds --help', () => {
  const commands = [
    [],
    ['dataset'],
    ['oracle'],
    ['score'],
    ['supabase'],
    ['supabase', 'start'],
    ['supabase', 'stop'],
    ['supabase', 'status'],
    ['serve'],
  ];
  it.each(commands)('documents %s', async (...command) => {
    const { code, stdout } = await localds([...command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: localds/);
  });
});

describe('localds dataset', () => {
  it('writes the committed canonical snapshot byte for byte', async () => {
    const out = join(work, 'canonical.json');
    const { code } = await localds(['dataset', '--format', 'json', '--out', out]);
    expect(code).toBe(0);
    const snapshot = resolve(
      REPO_ROOT,
      'packages/benchmarks/src/ab-test-analysis/data/canonical.json',
    );
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(snapshot, 'utf8'));
  });

  it('gives a fresh instance for --seed and the same bytes for the same seed', async () => {
    const a = await localds(['dataset', '--scenario', 'no-effect', '--seed', '7']);
    const b = await localds(['dataset', '--scenario', 'no-effect', '--seed', '7']);
    const c = await localds(['dataset', '--scenario', 'no-effect', '--seed', '8']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
    expect(a.stdout).toBe(toJson(generateDataset('no-effect', 7), AB_TEST_TABLE));
  });

  it('writes SQL that creates and fills posthog_events', async () => {
    const { code, stdout } = await localds(['dataset', '--format', 'sql']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/create table public\.posthog_events/i);
    expect(stdout.match(/^insert into/gim)?.length ?? 0).toBeGreaterThan(0);
  });

  it.each([
    [['--seed', 'abc'], /seed/i],
    [['--seed', '-1'], /seed/i],
    [['--scenario', 'nope'], /scenario|choices/i],
    [['--format', 'xml'], /format|choices/i],
  ])('refuses %j with a clear message', async (args, message) => {
    const { code, stderr } = await localds(['dataset', ...args]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
  });
});

describe('localds oracle', () => {
  it('prints the oracle of the rows it is given', async () => {
    const rows = generateDataset('b-wins');
    const file = join(work, 'b-wins.json');
    writeFileSync(file, toJson(rows, AB_TEST_TABLE));
    const { code, stdout } = await localds(['oracle', '--data', file]);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    const expected = computeOracle(rows);
    expect(printed.p_value).toBe(expected.p_value);
    expect(printed.status).toBe(expected.status);
    expect(printed.recommended_variant).toBe(expected.recommended_variant);
  });

  it('names the row and field of a malformed rows file', async () => {
    const rows = JSON.parse(toJson(generateDataset('canonical').slice(0, 5), AB_TEST_TABLE));
    rows[3].completion_time_seconds = 'slow';
    const file = join(work, 'bad-rows.json');
    writeFileSync(file, JSON.stringify(rows));
    const { code, stderr } = await localds(['oracle', '--data', file]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/3/);
    expect(stderr).toMatch(/completion_time_seconds/);
  });

  it('says when the file is not JSON', async () => {
    const file = join(work, 'broken.json');
    writeFileSync(file, '[{"id": 1,');
    const { code, stderr } = await localds(['oracle', '--data', file]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/JSON/);
  });
});

describe('localds score', () => {
  const fixture = (name: string) => resolve(REPO_ROOT, 'packages/scorer/fixtures/runs', name);

  it('scores a run folder and exits 0 whatever the score', async () => {
    const { code, stdout } = await localds([
      'score',
      fixture('session-level-rate'),
      '--scenario',
      'canonical',
      '--mode',
      'compat',
    ]);
    expect(code).toBe(0);
    const card = JSON.parse(stdout);
    expect(Object.keys(card.checks)).toHaveLength(12);
    expect(card.checks.completion_rates!.pass).toBe(false);
    expect(card.earned).toBe(card.total - card.checks.completion_rates!.max);
    expect(card.diagnostics.map((d: { id: string }) => d.id)).toContain(
      'session_level_completion_rate',
    );
  });

  it('stops with a clear message when there is no oracle to score against', async () => {
    const { code, stderr } = await localds(['score', fixture('correct')]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/no oracle/);
  });

  it('refuses a folder that does not exist', async () => {
    const { code, stderr } = await localds([
      'score',
      join(work, 'missing'),
      '--scenario',
      'canonical',
    ]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/missing/);
  });
});

describe('localds serve', () => {
  it('serves the built workbench page on loopback', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { cwd: REPO_ROOT });
    try {
      const url = await new Promise<string>((found, fail) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (match) found(match[0]);
        });
        child.once('exit', (code) => fail(new Error(`serve exited with ${code}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      // Cross-origin isolated: a runaway cell can be interrupted without losing the kernel's state.
      expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      const html = await page.text();
      // Relative asset paths: the same build works from any sub-path.
      const script = /<script[^>]+src="(\.\/assets\/[^"]+\.js)"/.exec(html);
      expect(script).not.toBeNull();
      expect((await fetch(new URL(script![1]!, url))).status).toBe(200);
      expect((await fetch(new URL('missing.html', url))).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
