/**
 * `localds sweep` end to end with two scripted models × two scenarios in stdlib-only Pyodide: it is
 * interrupted after its first trial, resumes without touching the finished trial and runs the rest; and
 * two shards into two folders, merged by `localds report`, hold the same cells and numbers as the
 * unsharded sweep.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunJsonSchema, type RunJson } from '@localds/scorer';
import { afterAll, describe, expect, it } from 'vitest';
import { localds, REPO_ROOT, type CliResult } from './helpers/stack.js';
import { fence, replayJson } from './run-helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'localds-sweep-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Deterministic scripted models: a short sleep gives Ctrl-C a running trial to stop.
for (const name of ['alpha', 'beta']) {
  writeFileSync(
    join(scratch, `${name}.json`),
    replayJson([fence(`import time\ntime.sleep(2)\nprint("${name}")`), 'DONE']),
  );
}
const GRID = [
  '--models',
  `replay:${join(scratch, 'alpha.json')},replay:${join(scratch, 'beta.json')}`,
  '--scenarios',
  'canonical,srm',
  '--stdlib-only',
];

interface Recorded {
  dir: string;
  runJson: RunJson;
  mtimeMs: number;
}

/** Every run folder under `out`, read. */
function recordedRuns(out: string): Recorded[] {
  return readdirSync(out, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('run.json'))
    .map((path) => {
      const file = join(out, path);
      return {
        dir: join(out, path, '..'),
        runJson: RunJsonSchema.parse(JSON.parse(readFileSync(file, 'utf8'))),
        mtimeMs: statSync(file).mtimeMs,
      };
    });
}

/** A run's grid cell as text: model, scenario, seed, trial. */
function cellOf(run: RunJson): string {
  const source = run.data.snapshot!.source;
  if (source.kind !== 'scenario') throw new Error(`not a scenario run: ${run.run_id}`);
  return `${run.model.name} ${source.scenario} ${source.seed} ${run.trial_index}`;
}

const finished = (runs: Recorded[]) => runs.filter((r) => r.runJson.end_reason === 'done');

/** The statistics a report embeds, without run ids and exclusions (which differ by folder). */
function reportNumbers(html: string): unknown {
  const match = /<script type="application\/json" id="score-stats">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('the report has no embedded statistics');
  const stats = JSON.parse(match[1]!) as { groups: { excluded: unknown }[] };
  const groups = stats.groups.map(({ excluded: _excluded, ...group }) => group);
  return JSON.parse(
    JSON.stringify(groups, (key, value: unknown) => (/^runIds?$/.test(key) ? undefined : value)),
  );
}

async function report(paths: string[], out: string): Promise<unknown> {
  const cli = await localds(['report', ...paths, '--out', out]);
  expect(cli.code, cli.stderr).toBe(0);
  return reportNumbers(readFileSync(out, 'utf8'));
}

const sweep = (args: string[]): Promise<CliResult> => localds(['sweep', ...GRID, ...args]);

describe('localds sweep', () => {
  const out = join(scratch, 'runs');

  it('stops cleanly on SIGINT after its first trial, then resumes without redoing it', async () => {
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'packages/cli/bin/localds.js'), 'sweep', ...GRID, '--out', out],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const firstDone = new Promise<void>((resolveFirst) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (/ -> /.test(stdout)) resolveFirst();
      });
    });
    const exited = new Promise<number | null>((resolveExit) =>
      child.on('exit', (code) => resolveExit(code)),
    );
    await firstDone;
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(stderr).toMatch(/sweep: 4 cell\(s\) in the grid; 0 already finished/);
    expect(stderr).toMatch(/interrupted: stopping the run/);
    expect(stdout).toMatch(/sweep: 1\/4 trial\(s\) of the grid finished, 3 not/);

    // The first trial is recorded and finished; the one Ctrl-C stopped (the other model's, which
    // had the free slot: trials of a model wait for its endpoint, not for the grid order) is recorded
    // as aborted.
    const before = recordedRuns(out);
    expect(before).toHaveLength(2);
    expect(finished(before).map((r) => cellOf(r.runJson))).toEqual([
      'replay-alpha canonical 119005 1',
    ]);
    const aborted = before.filter((r) => r.runJson.end_reason === 'aborted');
    expect(aborted.map((r) => cellOf(r.runJson))).toEqual(['replay-beta canonical 119005 1']);
    const [first] = finished(before);

    const resumed = await sweep(['--out', out, '--concurrency', '2']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(
      /sweep: 4 cell\(s\) in the grid; 1 already finished, 1 to run again \(environment failure or stopped\), 2 to run/,
    );
    expect(resumed.stderr).toMatch(/sweep: 4\/4 trials done, 0 running, all done/);
    const after = recordedRuns(out);
    // The finished trial is untouched: same folder, same id, same file time.
    const kept = after.find((r) => r.dir === first!.dir)!;
    expect(kept.runJson.run_id).toBe(first!.runJson.run_id);
    expect(kept.mtimeMs).toBe(first!.mtimeMs);
    // Every cell now has exactly one finished trial; the aborted folder stays as it was.
    expect(
      finished(after)
        .map((r) => cellOf(r.runJson))
        .sort(),
    ).toEqual([
      'replay-alpha canonical 119005 1',
      'replay-alpha srm 1 1',
      'replay-beta canonical 119005 1',
      'replay-beta srm 1 1',
    ]);
    expect(after).toHaveLength(5);

    // --concurrency 2 ran the two models at once, but never two trials of one model (one endpoint).
    const span = (r: Recorded) => [
      Date.parse(r.runJson.timings.started_at),
      Date.parse(r.runJson.timings.finished_at!),
    ];
    const overlap = (a: Recorded, b: Recorded) => {
      const [a0, a1] = span(a);
      const [b0, b1] = span(b);
      return a0! < b1! && b0! < a1!;
    };
    const resumedRuns = finished(after).filter((r) => r.dir !== first!.dir);
    expect(resumedRuns).toHaveLength(3);
    const pairs = resumedRuns.flatMap((a, i) => resumedRuns.slice(i + 1).map((b) => [a, b]));
    for (const [a, b] of pairs) {
      if (a!.runJson.model.name === b!.runJson.model.name)
        expect(overlap(a!, b!), `${cellOf(a!.runJson)} / ${cellOf(b!.runJson)}`).toBe(false);
    }
    expect(pairs.some(([a, b]) => overlap(a!, b!))).toBe(true);

    // Started again, nothing is left to do.
    const again = await sweep(['--out', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(
      /4 already finished, 0 to run again \(environment failure or stopped\), 0 to run/,
    );
    expect(recordedRuns(out)).toHaveLength(5);
  }, 300_000);

  it('two shards into two folders hold the grid once, with the unsharded numbers in localds report', async () => {
    const [one, two] = [join(scratch, 'shard-1'), join(scratch, 'shard-2')];
    const shards = await Promise.all([
      sweep(['--shard', '1/2', '--concurrency', '2', '--out', one]),
      sweep(['--shard', '2/2', '--concurrency', '2', '--out', two]),
    ]);
    for (const cli of shards) {
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stderr).toMatch(/sweep: 4 cell\(s\) in the grid, shard \d\/2: 2;/);
    }
    const cellsOne = recordedRuns(one).map((r) => cellOf(r.runJson));
    const cellsTwo = recordedRuns(two).map((r) => cellOf(r.runJson));
    // Interleaved by cell index: each shard has one trial of each model.
    expect(cellsOne.sort()).toEqual([
      'replay-alpha canonical 119005 1',
      'replay-beta canonical 119005 1',
    ]);
    expect(cellsTwo.sort()).toEqual(['replay-alpha srm 1 1', 'replay-beta srm 1 1']);
    const unsharded = finished(recordedRuns(out)).map((r) => cellOf(r.runJson));
    expect([...cellsOne, ...cellsTwo].sort()).toEqual(unsharded.sort());

    const merged = await report([one, two], join(scratch, 'merged.html'));
    const whole = await report([out], join(scratch, 'whole.html'));
    expect(merged).toEqual(whole);
    expect(JSON.stringify(merged)).toMatch(/replay-beta/);
  }, 300_000);

  it('refuses bad input with exit 1 and an environment that cannot run trials with exit 4, before any trial', async () => {
    const empty = join(scratch, 'refused');
    const badShard = await sweep(['--shard', '3/2', '--out', empty]);
    expect(badShard.code).toBe(1);
    expect(badShard.stderr).toMatch(/--shard <I\/N>' argument '3\/2' is invalid\. must be I\/N/);
    const badScenario = await localds([
      'sweep',
      '--models',
      'replay:x.json',
      '--scenarios',
      'canonical,nope',
    ]);
    expect(badScenario.code).toBe(1);
    expect(badScenario.stderr).toMatch(
      /"nope" is not a scenario of ab-test-analysis; its scenarios: canonical, b-wins/,
    );
    const twice = await localds([
      'sweep',
      '--models',
      `replay:${join(scratch, 'alpha.json')},replay:${join(scratch, 'alpha.json')}`,
    ]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/lists an item twice/);

    const noPython = await localds([
      'sweep',
      '--models',
      `replay:${join(scratch, 'alpha.json')}`,
      '--python',
      'native',
      '--python-bin',
      join(scratch, 'no-such-python'),
      '--out',
      empty,
    ]);
    expect(noPython.code, noPython.stderr).toBe(4);
    expect(noPython.stderr).toMatch(/The run did not start/);
    expect(readdirSync(empty)).toEqual([]);
  }, 60_000);
});
