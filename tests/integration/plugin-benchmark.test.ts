import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARK_IDS, VISUAL_BENCHMARK_IDS } from '@localds/benchmarks';
import { REPO_ROOT, localds } from './helpers/stack.js';
import { localdsRun } from './run-helpers.js';

/**
 * A benchmark is one self-contained unit: a throwaway benchmark (two rows, one check) loaded as a plugin
 * is listed, generated, run and scored by the CLI with no edit anywhere else in the repository.
 */
const PLUGIN = join(REPO_ROOT, 'tests/fixtures/tiny-benchmark/tiny-benchmark.mjs');
const SUITE = join(REPO_ROOT, 'tests/fixtures/tiny-benchmark/tiny-suite.mjs');
const env = { LOCALDS_BENCHMARKS: PLUGIN };
let work: string;
let replay: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'localds-plugin-'));
  const plugin = (await import(PLUGIN)) as { default: { demoReplay: unknown } };
  replay = join(work, 'tiny-replay.json');
  await writeFile(replay, JSON.stringify(plugin.default.demoReplay));
});

afterAll(() => rm(work, { recursive: true, force: true }));

describe('a benchmark loaded as a plugin (LOCALDS_BENCHMARKS)', () => {
  it('is listed beside the built-in ones, with its scenarios, outputs and checks', async () => {
    const cli = await localds(['benchmarks', '--format', 'json'], env);
    expect(cli.code, cli.stderr).toBe(0);
    const listed = JSON.parse(cli.stdout) as {
      kind: 'analysis' | 'visual';
      id: string;
      scenarios: { name: string; default: boolean }[];
      required_outputs: { file: string }[];
      checks: { id: string; max: number }[];
    }[];
    // The notebook analyses, the plugin last among them; the visual benchmarks follow, each kind named.
    const analyses = listed.filter((b) => b.kind === 'analysis');
    expect(analyses.map((b) => b.id)).toEqual([...BENCHMARK_IDS, 'tiny-sum']);
    expect(listed.filter((b) => b.kind === 'visual').map((b) => b.id)).toEqual(
      VISUAL_BENCHMARK_IDS,
    );
    const tiny = analyses.at(-1)!;
    expect(tiny.scenarios).toEqual([
      { name: 'pair', default: true, description: 'two positive values' },
      { name: 'negative', default: false, description: 'a negative and a positive value' },
    ]);
    expect(tiny.required_outputs.map((o) => o.file)).toEqual(['summary.json']);
    expect(tiny.checks).toEqual([
      { id: 'total_correct', label: 'Total matches the oracle', max: 10 },
    ]);
    // Without the variable it is not there: nothing else in the repository knows it.
    const plain = await localds(['benchmarks', '--format', 'json']);
    expect((JSON.parse(plain.stdout) as { id: string }[]).map((b) => b.id)).toEqual([
      ...BENCHMARK_IDS,
      ...VISUAL_BENCHMARK_IDS,
    ]);
  });

  it('generates its own table in every format, and refuses a scenario it does not have', async () => {
    const json = await localds(['dataset', '--benchmark', 'tiny-sum', '--format', 'json'], env);
    expect(JSON.parse(json.stdout)).toEqual([
      { id: 1, value: 2.5 },
      { id: 2, value: 4 },
    ]);
    const csv = await localds(
      ['dataset', '--benchmark', 'tiny-sum', '--scenario', 'negative', '--format', 'csv'],
      env,
    );
    expect(csv.stdout).toBe('id,value\r\n1,-3\r\n2,1\r\n');
    const sql = await localds(['dataset', '--benchmark', 'tiny-sum', '--format', 'sql'], env);
    expect(sql.stdout).toContain('create table public.tiny_values (\n  id bigint primary key,');
    const wrong = await localds(['dataset', '--benchmark', 'tiny-sum', '--scenario', 'srm'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /"srm" is not a scenario of tiny-sum; its scenarios: pair, negative/,
    );
  });

  it('computes its oracle from --data, refusing a column the benchmark does not declare', async () => {
    const rows = join(work, 'rows.json');
    await writeFile(
      rows,
      JSON.stringify([
        { id: 1, value: 10 },
        { id: 2, value: 0.5 },
      ]),
    );
    const oracle = await localds(['oracle', '--benchmark', 'tiny-sum', '--data', rows], env);
    expect(oracle.code, oracle.stderr).toBe(0);
    expect(JSON.parse(oracle.stdout)).toEqual({ total: 10.5 });
    const extra = join(work, 'extra.json');
    await writeFile(extra, JSON.stringify([{ id: 1, value: 1, note: 'x' }]));
    const refused = await localds(['oracle', '--benchmark', 'tiny-sum', '--data', extra], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not a list of tiny_values rows: row 0 \(id 1\).*note/);
  });

  it('runs in Pyodide (standard library) and scores; localds score on the folder agrees', async () => {
    const run = await localdsRun(
      ['--benchmark', 'tiny-sum', '--model', `replay:${replay}`, '--stdlib-only', '--out', work],
      env,
    );
    expect(run.runJson.benchmark).toEqual({ id: 'tiny-sum', version: '0.0.1' });
    expect(run.runJson.scorecard).toMatchObject({
      earned: 10,
      judged: 10,
      total: 10,
      mode: 'full',
    });
    expect(run.runJson.scorecard!.checks.total_correct!.detail).toBe(
      "total 6.5 equals the oracle's",
    );
    const scored = await localds(['score', run.dir, '--format', 'json'], env);
    expect(scored.code, scored.stderr).toBe(0);
    const card = JSON.parse(scored.stdout) as { checks: unknown; earned: number; judged: number };
    expect(card.checks).toEqual(run.runJson.scorecard!.checks);
    // The folder names its benchmark: scoring it as another is refused.
    const other = await localds(['score', run.dir, '--benchmark', 'ab-test-analysis'], env);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/is a tiny-sum run; --benchmark ab-test-analysis does not apply/);
  });

  it('a plugin that is not a benchmark is a clear error, not a crash', async () => {
    const bad = join(work, 'bad-plugin.mjs');
    await writeFile(bad, 'export default { id: "x" };\n');
    const cli = await localds(['benchmarks'], { LOCALDS_BENCHMARKS: bad });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(
      /^localds: LOCALDS_BENCHMARKS: .*bad-plugin\.mjs: not a benchmark definition: /,
    );
  });

  it('a suite: localds run --suite runs every member and prints its score; mistakes are clear errors', async () => {
    const suiteEnv = { LOCALDS_BENCHMARKS: SUITE };
    const listed = await localds(['benchmarks', '--format', 'json'], suiteEnv);
    const tiny = (JSON.parse(listed.stdout) as { id: string; suite: string | null }[]).filter(
      (b) => b.suite === 'tiny',
    );
    expect(tiny.map((b) => b.id)).toEqual(['tiny-a', 'tiny-b']);
    const cli = await localds(
      ['run', '--suite', 'tiny', '--model', 'demo', '--out', join(work, 'suite')],
      suiteEnv,
    );
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^## tiny-a$[\s\S]*^## tiny-b$/m);
    expect(cli.stdout).toMatch(/^tiny-a: 1 trial\(s\): mean 100\.0/m);
    expect(cli.stdout).toMatch(
      /^suite tiny \(replay-scripted-demo; scorer [\d.]+ · full mode · fenced protocol · standard library only\): 100$/m,
    );
    const unknown = await localds(['run', '--suite', 'nope', '--model', 'demo'], suiteEnv);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown suite "nope"; known: .*tiny/);
    const both = await localds(
      ['run', '--suite', 'tiny', '--benchmark', 'tiny-a', '--model', 'demo'],
      suiteEnv,
    );
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/--suite runs every benchmark of the suite; drop --benchmark/);
  });
});
