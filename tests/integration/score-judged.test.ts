import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScorecardSchema } from '@localds/scorer';
import { REPO_ROOT, localds } from './helpers/stack.js';

const work = mkdtempSync(join(tmpdir(), 'localds-score-judged-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A folder as the page's "Download run folder (.zip)" lays it out (runs/<benchmark>/<model>/<run id>/)
 * from a run that had the standard library only.
 */
function pageExport(): string {
  const dir = join(work, 'runs/ab-test-analysis/scripted-demo/2026-12-06T03-00-00Z');
  mkdirSync(dir, { recursive: true });
  cpSync(resolve(REPO_ROOT, 'packages/scorer/fixtures/runs/full-correct'), dir, {
    recursive: true,
  });
  rmSync(join(dir, 'expected-full.json'));
  rmSync(join(dir, 'expected-compat.json'));
  const runJson = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  runJson.environment = { packages: 'stdlib-only', loaded: [] };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(runJson));
  return dir;
}

describe('localds score on a page-exported folder', () => {
  it('scores it in full mode and says what could not be judged, in text and JSON', async () => {
    const dir = pageExport();
    const text = await localds(['score', dir, '--format', 'text']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /^Score 95 of 95 judged \(100%; 5 of 100 points not judged\), full mode, scorer 0\.2\.0$/m,
    );
    expect(text.stdout).toMatch(
      /^ {2}N\/J {3}charts_labeled +0\/5 {2}not judged: the run had the standard library only/m,
    );
    const json = await localds(['score', dir]);
    const card = ScorecardSchema.parse(JSON.parse(json.stdout));
    expect(card).toMatchObject({ mode: 'full', earned: 95, judged: 95, total: 100, pct: 100 });
    expect(card.checks.charts_labeled!.judged).toBe(false);
  }, 60_000);
});
