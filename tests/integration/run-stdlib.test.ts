import { EventRowSchema } from '@localds/benchmarks';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset } from '@localds/benchmarks';
import { containsSecret, decodeSnapshotRows, REDACTED } from '@localds/scorer';
import { computeOracle } from '@localds/benchmarks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, type StartedStack, localds } from './helpers/stack.js';
import { failedChecks, fence, localdsRun, replayJson } from './run-helpers.js';

/**
 * A replayed, correct, standard-library-only solution run through Pyodide in Node by `localds run`,
 * against the embedded endpoint and against the local Supabase stack: each run folder is complete
 * and scores 100% of the judged points in full mode, counterfactual included. The large-paginated scenario (4653 rows)
 * makes the code page past the 1000-row cap.
 */
const STDLIB = join(REPO_ROOT, 'tests/fixtures/replays/stdlib-correct.json');
const SCENARIO = 'large-paginated';
const env = {
  LOCALDS_SUPABASE_ROOT: join(tmpdir(), `localds-run-test-${randomBytes(4).toString('hex')}`),
};
const COMPLETE = [
  'analysis.ipynb',
  'chart-completion-rates.png',
  'chart-distribution.png',
  'chart-treatment-effect.png',
  'run.json',
  'summary.json',
];
let out: string;
let stack: StartedStack;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'localds-runs-'));
  const started = await localds(['supabase', 'start', '--json', '--scenario', SCENARIO], env);
  if (started.code !== 0) throw new Error(`supabase start failed:\n${started.stderr}`);
  stack = JSON.parse(started.stdout) as StartedStack;
}, 120_000);

afterAll(async () => {
  await localds(['supabase', 'stop', '--all'], env);
  await rm(env.LOCALDS_SUPABASE_ROOT, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
}, 60_000);

describe('localds run: a stdlib-only correct solution through Pyodide in Node', () => {
  it('scores 95 of 95 judged in full mode against the embedded endpoint', async () => {
    const run = await localdsRun([
      '--stdlib-only',
      '--model',
      `replay:${STDLIB}`,
      '--scenario',
      SCENARIO,
      '--out',
      out,
    ]);
    expect([...run.files.keys()].sort()).toEqual(COMPLETE);
    const { runJson } = run;
    expect(runJson.end_reason).toBe('done');
    expect(runJson.isolation).toBe('node-pyodide');
    expect(runJson.scripted).toBe(true);
    // --stdlib-only: the model was told so, and the run says which environment it had.
    expect(runJson.environment).toEqual({ packages: 'stdlib-only', loaded: [] });
    expect(runJson.prompts.user).toContain(
      'Python packages available: only the Python standard library',
    );
    expect(run.cli.stdout).toMatch(/scripted/);
    expect(runJson.data.table_url).toBe('http://embedded.localds.invalid/rest/v1/posthog_events');
    expect(runJson.data.snapshot?.source).toEqual({
      kind: 'scenario',
      scenario: SCENARIO,
      seed: 1,
    });
    // The snapshot is the scenario's rows, byte for byte what the oracle is computed from.
    const rows = await decodeSnapshotRows(runJson.data.snapshot!, EventRowSchema);
    expect(rows).toEqual(generateDataset(SCENARIO));
    // Five pages: four full ones and the 653-row tail.
    const pages = runJson.trace!.requests;
    expect(pages.map((r) => [r.range?.offset, r.rows_returned, r.total_rows])).toEqual([
      [0, 1000, 4653],
      [1000, 1000, 4653],
      [2000, 1000, 4653],
      [3000, 1000, 4653],
      [4000, 653, 4653],
    ]);
    expect(failedChecks(runJson)).toEqual({});
    // A stdlib program draws no matplotlib figure: its charts' labels cannot be judged.
    expect(runJson.scorecard!.checks.charts_labeled).toMatchObject({ judged: false, earned: 0 });
    expect(runJson.scorecard).toMatchObject({
      earned: 95,
      judged: 95,
      total: 100,
      pct: 100,
      mode: 'full',
    });
    expect(runJson.scorecard!.notes.join('\n')).toMatch(/counterfactual: re-executed 6 cells/);
    expect(runJson.scorecard!.checks.p_value!.detail).toMatch(/followed the resample/);
    // Stored for places that cannot re-execute (the page importing this folder).
    expect(runJson.counterfactual).toMatchObject({ cells: 6, outcome: { ok: true } });
    const notebook = run.files.get('analysis.ipynb')!.toString('utf8');
    expect(notebook).toMatch(/Scripted run/);
    expect(run.cli.stdout).toMatch(
      /Score 95 of 95 judged \(100%; 5 of 100 points not judged\), full mode/,
    );

    // `localds score` re-executes the folder's cells itself and agrees.
    const scored = await localds(['score', run.dir, '--mode', 'full']);
    expect(scored.code, scored.stderr).toBe(0);
    const card = JSON.parse(scored.stdout) as { earned: number; judged: number; notes: string[] };
    expect([card.earned, card.judged]).toEqual([95, 95]);
    expect(card.notes.join('\n')).toMatch(/counterfactual: re-executed 6 cells/);
  }, 120_000);

  it('scores 95 of 95 judged against the real stack (--supabase-url), its rows frozen into the snapshot', async () => {
    const run = await localdsRun(
      ['--stdlib-only', '--model', `replay:${STDLIB}`, '--supabase-url', stack.url, '--out', out],
      { LOCALDS_SUPABASE_KEY: stack.anonKey },
    );
    const { runJson } = run;
    expect(runJson.data.table_url).toBe(stack.tableUrl);
    expect(runJson.data.snapshot?.source).toEqual({ kind: 'supabase', url: stack.url });
    const rows = await decodeSnapshotRows(runJson.data.snapshot!, EventRowSchema);
    expect(computeOracle(rows)).toEqual(computeOracle(generateDataset(SCENARIO)));
    expect(failedChecks(runJson)).toEqual({});
    expect(runJson.scorecard).toMatchObject({ earned: 95, judged: 95, mode: 'full' });
    for (const [name, bytes] of run.files) {
      expect(bytes.includes(stack.anonKey), name).toBe(false);
    }
  }, 120_000);

  it('keeps every key out of the run folder and the CLI output', async () => {
    // Model output that plants the project's key (typed into prose and code) and the run's own key
    // (read from supabase.json): printed, written into summary.json, a text file and a binary file.
    const planted = [
      `Here is the project key: ${stack.anonKey}\n\n${fence(
        [
          'import json',
          "cfg = json.load(open('supabase.json'))",
          "key = cfg['headers']['apikey']",
          'print(key)',
          `print("${stack.anonKey}")`,
          "summary = {'status': 'significant', 'recommended_variant': 'A', 'decision': 'the key is ' + key,",
          "           'raw_stats': {'p_value': 0.5, 'cohens_d': 0.1, 'mean_a': 1.0, 'mean_b': 1.0,",
          "                         'completion_rate_a': 0.5, 'completion_rate_b': 0.5, 'srm_p_value': 0.5}}",
          "json.dump(summary, open('summary.json', 'w'))",
          "open('notes.txt', 'w').write(key + ' ' + cfg['headers']['Authorization'])",
          "open('blob.bin', 'wb').write(bytes([0, 255]) + key.encode())",
        ].join('\n'),
      )}`,
      'DONE',
    ];
    const replay = join(out, 'plant-key.json');
    await writeFile(replay, replayJson(planted));
    const run = await localdsRun(
      ['--stdlib-only', '--model', `replay:${replay}`, '--supabase-url', stack.url, '--out', out],
      { LOCALDS_SUPABASE_KEY: stack.anonKey },
    );
    expect(run.runJson.end_reason).toBe('done');
    // The binary file that held the key is withheld, and the user is told.
    expect([...run.files.keys()].sort()).toEqual([
      'analysis.ipynb',
      'notes.txt',
      'run.json',
      'summary.json',
    ]);
    expect(run.cli.stderr).toMatch(
      /blob\.bin was left out of the run folder: it contains the API key/,
    );
    for (const [name, bytes] of run.files) {
      const text = bytes.toString('utf8');
      expect(text.includes(stack.anonKey), `${name} holds the project key`).toBe(false);
      expect(containsSecret(text), `${name} holds a key`).toBe(false);
    }
    // The planted keys were there, and were replaced where they stood.
    expect(run.files.get('summary.json')!.toString()).toContain(`the key is ${REDACTED}`);
    expect(run.files.get('notes.txt')!.toString()).toBe(`${REDACTED} Bearer ${REDACTED}`);
    const notebook = run.files.get('analysis.ipynb')!.toString();
    expect(notebook).toContain(`Here is the project key: ${REDACTED}`);
    expect(
      notebook.match(new RegExp(REDACTED.replace(/[[\]]/g, '\\$&'), 'g'))!.length,
    ).toBeGreaterThanOrEqual(4);
    for (const output of [run.cli.stdout, run.cli.stderr]) {
      expect(output.includes(stack.anonKey)).toBe(false);
      expect(containsSecret(output)).toBe(false);
    }
  }, 120_000);
});
