import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RETENTION_DIAGNOSTIC_IDS, RETENTION_SCENARIO_NAMES } from '@localds/benchmarks';
import { ScorecardSchema } from '@localds/scorer';
import { failedChecks, fence, localdsRun } from './run-helpers.js';
import { localds, REPO_ROOT } from './helpers/stack.js';

/**
 * retention-cohorts end to end through `localds run`: the stdlib-only replay in Pyodide (Node) earns every
 * judged point and `localds score` on its folder gives the same scorecard; each planted-mistake replay
 * loses points and is named by exactly its diagnostic; the pandas reference notebook, replayed on the
 * native sandbox (Debian's python3 with pandas, SciPy, matplotlib), scores 100 of 100 in full mode on
 * every scenario.
 */
const FOLDER = join(REPO_ROOT, 'packages/benchmarks/src/retention-cohorts');
const out = mkdtempSync(join(tmpdir(), 'retention-runs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const RUN_MS = 180_000;

describe('stdlib-only replay in Pyodide', () => {
  it(
    'earns every judged point on canonical, and localds score on the folder agrees',
    async () => {
      const run = await localdsRun([
        '--benchmark',
        'retention-cohorts',
        '--model',
        `replay:${join(FOLDER, 'fixtures/stdlib-replay.json')}`,
        '--scenario',
        'canonical',
        '--out',
        out,
      ]);
      const card = run.runJson.scorecard!;
      expect(failedChecks(run.runJson)).toEqual({});
      expect(card.earned).toBe(card.judged);
      // Without matplotlib no figure labels exist: the only check not judged.
      expect(
        Object.entries(card.checks)
          .filter(([, c]) => !c.judged)
          .map(([id]) => id),
      ).toEqual(['charts_labeled']);
      expect(card.diagnostics).toEqual([]);
      expect(run.cli.stdout).toMatch(/Score 96 of 96 judged \(100%/);

      const scored = await localds(['score', run.dir, '--format', 'json']);
      expect(scored.code, scored.stderr).toBe(0);
      const again = ScorecardSchema.parse(JSON.parse(scored.stdout));
      expect({ earned: again.earned, judged: again.judged, checks: again.checks }).toEqual({
        earned: card.earned,
        judged: card.judged,
        checks: card.checks,
      });
    },
    RUN_MS,
  );
});

describe('planted-mistake replays in Pyodide', () => {
  it.each(RETENTION_DIAGNOSTIC_IDS)(
    '%s: loses points and is named by exactly that diagnostic',
    async (mistake) => {
      const run = await localdsRun([
        '--benchmark',
        'retention-cohorts',
        '--model',
        `replay:${join(FOLDER, `fixtures/planted-replays/${mistake}.json`)}`,
        '--scenario',
        'canonical',
        '--out',
        out,
      ]);
      const card = run.runJson.scorecard!;
      expect(card.earned).toBeLessThan(card.judged);
      expect([...new Set(card.diagnostics.map((d) => d.id))]).toEqual([mistake]);
      for (const d of card.diagnostics) expect(d.message).toContain(d.field);
    },
    RUN_MS,
  );
});

/** The reference notebook's cells as a replay: each code cell with the markdown before it. */
function referenceReplay(): string {
  const notebook = JSON.parse(
    readFileSync(join(FOLDER, 'reference/retention-cohorts.ipynb'), 'utf8'),
  ) as {
    cells: { cell_type: string; source: string | string[] }[];
  };
  const responses: string[] = [];
  let prose: string[] = [];
  for (const cell of notebook.cells) {
    const text = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    if (cell.cell_type === 'markdown') prose.push(text);
    else {
      responses.push(`${prose.join('\n\n')}\n\n${fence(text)}\n`);
      prose = [];
    }
  }
  responses[responses.length - 1] += '\nDONE\n';
  const file = join(out, 'reference-replay.json');
  writeFileSync(file, JSON.stringify({ responses }));
  return file;
}

describe('pandas reference on the native sandbox', () => {
  const replay = referenceReplay();
  it.each(RETENTION_SCENARIO_NAMES)(
    '%s: 100 of 100 in full mode, no diagnostic',
    async (scenario) => {
      const run = await localdsRun([
        '--benchmark',
        'retention-cohorts',
        '--python',
        'native',
        '--model',
        `replay:${replay}`,
        '--scenario',
        scenario,
        '--out',
        out,
      ]);
      const card = run.runJson.scorecard!;
      expect(failedChecks(run.runJson)).toEqual({});
      expect(card).toMatchObject({ earned: 100, judged: 100, total: 100, mode: 'full' });
      expect(card.diagnostics).toEqual([]);
    },
    RUN_MS,
  );
});
