import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localds, REPO_ROOT } from './helpers/stack.js';

/**
 * The guard for issue #11's refactor (benchmarks as plugins): run folders written by the CLI before
 * it (tests/fixtures/legacy, see its README) must score exactly as they scored then. The test reads
 * only committed files and the CLI's output, never today's types, so it keeps meaning the same
 * thing after the types move.
 *
 * Trace folders are scored as `localds score` does by default: full mode, and full mode re-executes
 * the run's cells in the sandbox level the run used for the
 * counterfactual (stdlib-only Pyodide in Node, or Debian's /usr/bin/python3 for native-reference);
 * it does not reuse run.json's stored counterfactual outcome.
 */
const LEGACY = join(REPO_ROOT, 'tests/fixtures/legacy');

interface Check {
  label: string;
  max: number;
  earned: number;
  pass: boolean;
  judged: boolean;
  detail: string;
}
interface Scorecard {
  earned: number;
  total: number;
  judged: number;
  pct: number;
  mode: string;
  scorer_version: string;
  checks: Record<string, Check>;
  precision?: unknown;
  diagnostics?: unknown;
  notes: string[];
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** `localds score <folder> …` as JSON; fails the test on a non-zero exit. */
async function scoreFolder(name: string, args: string[] = []): Promise<Scorecard> {
  const cli = await localds(['score', join(LEGACY, 'runs', name), '--format', 'json', ...args]);
  expect(cli.code, `localds score ${name} failed:\n${cli.stderr}`).toBe(0);
  return JSON.parse(cli.stdout) as Scorecard;
}

/**
 * Two scorecards, equal in everything a reader sees: totals, mode, every check (label, points, pass,
 * judged, detail), precision and diagnostics, and notes. The scorer's version string is left out: a
 * refactor may bump it without changing a single verdict.
 */
function expectSameScorecard(got: Scorecard, want: Scorecard): void {
  const { scorer_version: _g, ...gotRest } = got;
  const { scorer_version: _w, ...wantRest } = want;
  expect(Object.keys(got.checks).sort()).toEqual(Object.keys(want.checks).sort());
  for (const [id, check] of Object.entries(want.checks))
    expect(got.checks[id], `check ${id}`).toEqual(check);
  expect(gotRest).toEqual(wantRest);
}

/** The scorecard committed with a trace folder (written by `localds run` into run.json). */
function committedScorecard(name: string): Scorecard {
  const run = readJson<{ scorecard: Scorecard | null }>(join(LEGACY, 'runs', name, 'run.json'));
  expect(run.scorecard, `${name}/run.json has no scorecard`).not.toBeNull();
  return run.scorecard!;
}

/**
 * `localds run` adds a note about how the run itself went (a native run without bubblewrap ran
 * unisolated); it says nothing about scoring, so `localds score` does not repeat it.
 */
const RUN_NOTE = /^warning: native Python runs UNISOLATED/;
function withoutRunNotes(card: Scorecard): Scorecard {
  return { ...card, notes: card.notes.filter((n) => !RUN_NOTE.test(n)) };
}

/**
 * `localds score` names where the oracle came from; `localds run` wrote its scorecard without that
 * note (the oracle was the run's own rows). Everything else must match.
 */
const SNAPSHOT_NOTE = "oracle from the run's data snapshot";
function withoutOracleNote(card: Scorecard): Scorecard {
  expect(card.notes[0]).toBe(SNAPSHOT_NOTE);
  return { ...card, notes: card.notes.slice(1) };
}

/** The trace folders, with the figures they scored when made, so a changed fixture is caught too. */
const TRACE_FOLDERS = [
  { name: 'stdlib-fenced', earned: 95, judged: 95, pct: 100 },
  { name: 'stdlib-tools', earned: 95, judged: 95, pct: 100 },
  { name: 'hard-coded', earned: 75, judged: 95, pct: 78.9 },
  { name: 'native-reference', earned: 100, judged: 100, pct: 100 },
] as const;

describe('legacy run folders score as they did when made', { timeout: 180_000 }, () => {
  it.each(TRACE_FOLDERS)(
    '$name: full mode (re-executed) gives the scorecard in its run.json',
    async ({ name, earned, judged, pct }) => {
      const want = committedScorecard(name);
      expect(want).toMatchObject({ earned, judged, total: 100, pct, mode: 'full' });
      const got = await scoreFolder(name);
      expect(got.mode).toBe('full');
      expectSameScorecard(withoutOracleNote(got), withoutRunNotes(want));
    },
  );

  it('hard-coded: the counterfactual still catches the typed-in numbers', () => {
    const { checks } = committedScorecard('hard-coded');
    for (const id of ['p_value', 'cohens_d']) {
      expect(checks[id]).toMatchObject({ pass: false, judged: true, earned: 0 });
      expect(checks[id]!.detail).toMatch(/hard-coded: on a resample/);
    }
  });

  it('compat-only (no run.json): compat mode against the canonical scenario gives the committed scorecard', async () => {
    const want = readJson<Scorecard>(join(LEGACY, 'expected/compat-only.scorecard.json'));
    expect(want).toMatchObject({ earned: 85, judged: 100, total: 100, pct: 85, mode: 'compat' });
    const got = await scoreFolder('compat-only', ['--scenario', 'canonical']);
    expectSameScorecard(got, want);
    // Its default mode is compat too: it has no trace.
    expectSameScorecard(
      await scoreFolder('compat-only', ['--scenario', 'canonical', '--mode', 'compat']),
      want,
    );
  });

  it('env-error: the folder still says it ended on an environment error and was not scored', () => {
    const run = readJson<{ end_reason: string; end_detail: string; scorecard: unknown }>(
      join(LEGACY, 'runs/env-error/run.json'),
    );
    expect(run.end_reason).toBe('environment_error');
    expect(run.end_detail).toMatch(/could not connect to http:\/\/127\.0\.0\.1:9\/v1/);
    expect(run.scorecard).toBeNull();
  });

  // Scored 0 of 95 by the code that made the fixtures (tests/fixtures/legacy/README.md); an environment
  // failure is never the model's score, so now no check is judged and the note says why.
  it('env-error: `localds score` does not give the model a score for it', async () => {
    const got = await scoreFolder('env-error');
    expect(got.judged).toBe(0);
    expect(got.earned).toBe(0);
    expect(
      Object.values(got.checks).every((c) => !c.judged && /environment_error/.test(c.detail)),
    ).toBe(true);
    expect(got.notes.some((n) => /^not scored: the run ended on environment_error/.test(n))).toBe(
      true,
    );
  });

  it('no legacy run folder holds the key the env-error run was given', () => {
    const files = readdirSync(join(LEGACY, 'runs'), { recursive: true, encoding: 'utf8' });
    expect(files).toContain(join('env-error', 'run.json'));
    for (const file of files) {
      const path = join(LEGACY, 'runs', file);
      if (statSync(path).isFile())
        expect(readFileSync(path, 'latin1'), file).not.toContain('sk-legacy-fixture');
    }
  });
});
