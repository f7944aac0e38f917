/**
 * `localds report` from the command line: its numbers are the statistics module's for the same runs,
 * runs that say nothing about a model are listed apart, no key gets in, bad input is refused clearly,
 * and 500 runs with charts of real size stay far under 25 MB.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunJsonSchema } from '@localds/scorer';
import { scoreStats, scoreTrialOfRunJson } from '@localds/scorer/score-stats';
import { afterAll, describe, expect, it } from 'vitest';
import {
  realisticCharts,
  syntheticGrid,
  syntheticRunJson,
  writeSyntheticRuns,
} from '../fixtures/synthetic-runs.mjs';
import { localds } from './helpers/stack.js';

const scratch = mkdtempSync(join(tmpdir(), 'localds-report-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The statistics the report embeds (and renders from). */
function embeddedStats(html: string): unknown {
  const match = /<script type="application\/json" id="score-stats">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('the report has no embedded statistics');
  return JSON.parse(match[1]!);
}

/** What the statistics module computes from the run.json files of `dirs`. */
function expectedStats(dirs: string[]): unknown {
  const trials = dirs.map((dir) =>
    scoreTrialOfRunJson(
      RunJsonSchema.parse(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'))),
    ),
  );
  return JSON.parse(JSON.stringify(scoreStats(trials)));
}

const KEY = 'sk4f9c2b7e1d8a6035c4b9e2f7a1d0c3b5';

describe('localds report', () => {
  const root = join(scratch, 'runs');
  const hostB = join(scratch, 'host-b');
  const dirs = [
    ...writeSyntheticRuns(root, [
      ...syntheticGrid({ models: ['alpha', 'beta'], seeds: 2, trials: 3 }),
      { model: 'alpha', seed: 7, trialIndex: 1, endReason: 'environment_error' },
      { model: 'beta', seed: 7, trialIndex: 1, endReason: 'aborted' },
    ]),
    // A second machine's folder: merged into the same groups.
    ...writeSyntheticRuns(hostB, [
      { model: 'gamma', seed: 1, trialIndex: 1, failing: ['p_value'] },
      { model: 'gamma', seed: 1, trialIndex: 2 },
      { model: 'gamma', seed: 2, trialIndex: 1, failing: ['cohens_d', 'charts_exist'] },
      { model: 'alpha', seed: 1, trialIndex: 1, scripted: true },
    ]),
  ];
  // A hand-edited run.json holding a key where text is shown.
  const leaky = syntheticRunJson({ model: 'delta', seed: 1, trialIndex: 1 });
  leaky.end_detail = `server said apikey: "${KEY}"`;
  leaky.scorecard!.checks.p_value!.detail = `Authorization: Bearer ${KEY}`;
  const leakyDir = join(root, 'delta', 'leaky');
  mkdirSync(leakyDir, { recursive: true });
  writeFileSync(join(leakyDir, 'run.json'), JSON.stringify(leaky));
  dirs.push(leakyDir);
  // A broken folder is reported, not fatal.
  mkdirSync(join(root, 'broken'));
  writeFileSync(join(root, 'broken', 'run.json'), '{"schema_version": 2}');

  it("merges folders into one report whose numbers are the statistics module's", async () => {
    const out = join(scratch, 'report.html');
    const cli = await localds(['report', root, hostB, '--out', out]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(
      /^report: 19 run\(s\) in 1 comparability group\(s\), 2 left out, 1 unreadable -> /m,
    );
    expect(cli.stderr).toMatch(/broken: run\.json does not match the schema at schema_version/);
    const html = readFileSync(out, 'utf8');
    expect(embeddedStats(html)).toEqual(expectedStats(dirs));
    expect(html).toContain('Folders that could not be read (1)');
    expect(html).toMatch(
      /Left out of every number: 1 environment or harness failure\(s\), 1 stopped run\(s\)/,
    );
    // The scripted replay is its own row, never mixed with the live model.
    expect(html).toContain('data-model="alpha (scripted)"');
  }, 120_000);

  it('holds no key, wherever a run folder had one', async () => {
    const out = join(scratch, 'leaky.html');
    const cli = await localds(['report', leakyDir, '--out', out]);
    expect(cli.code, cli.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain(KEY);
    expect(html).toContain('[REDACTED]');
  }, 60_000);

  it('refuses input it cannot use, with a clear message', async () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    const none = await localds(['report', empty, '--out', join(scratch, 'x.html')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no run folder \(a folder with a run\.json\) under /);
    const missing = await localds([
      'report',
      join(scratch, 'nope'),
      '--out',
      join(scratch, 'x.html'),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope does not exist/);
    const noOut = await localds(['report', root]);
    expect(noOut.code).toBe(1);
    expect(noOut.stderr).toMatch(/--out/);
    const badSeed = await localds([
      'report',
      root,
      '--out',
      join(scratch, 'x.html'),
      '--seed',
      '0',
    ]);
    expect(badSeed.code).toBe(1);
    expect(badSeed.stderr).toMatch(/--seed.*must be a positive whole number, got "0"/);
  }, 60_000);

  it('stays far under 25 MB for 500 runs with charts of real size', async () => {
    const big = join(scratch, 'big');
    const specs = syntheticGrid({
      models: ['m1', 'm2', 'm3', 'm4', 'm5'],
      scenarios: ['canonical', 'srm'],
      seeds: 10,
      trials: 5,
    });
    writeSyntheticRuns(big, specs, realisticCharts(join(scratch, 'charts')));
    const out = join(scratch, 'big.html');
    const cli = await localds(['report', big, '--out', out]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(statSync(out).size).toBeLessThan(25_000_000);
    const html = readFileSync(out, 'utf8');
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(1500);
  }, 600_000);
});
