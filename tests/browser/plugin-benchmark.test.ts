import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  judgedOnPage,
  REPO_ROOT,
  scorecardFromCli,
  scorecardOnPage,
  scratchDir,
  unzipRunFolder,
  useWorkbench,
  watchErrors,
} from './helpers/workbench.js';

/**
 * A benchmark is one self-contained unit, in the page too: the throwaway two-row benchmark, built in as
 * a plugin (LOCALDS_BENCHMARKS at build time) with no other edit, is listed on the home page, runs its
 * scripted demo end to end in the page, and scores there as `localds score` scores the exported folder.
 */
const PLUGIN = join(REPO_ROOT, 'tests/fixtures/tiny-benchmark/tiny-benchmark.mjs');
const SUITE = join(REPO_ROOT, 'tests/fixtures/tiny-benchmark/tiny-suite.mjs');
const wb = useWorkbench({ LOCALDS_BENCHMARKS: `${PLUGIN},${SUITE}` });
const work = scratchDir('localds-plugin-page-');

describe('a benchmark built into the page as a plugin', () => {
  it('is listed, runs its demo in the page, and scores as the CLI scores its folder', async () => {
    const page = await wb.context.newPage();
    const errors = watchErrors(page);
    await page.goto(wb.url);
    const home = page.locator('main ul.cards');
    await expect(
      home.getByRole('link', { name: 'A/B Test Production Analysis' }).count(),
    ).resolves.toBe(1);
    await home.getByRole('link', { name: 'Tiny sum (test plugin)' }).click();
    await page.getByLabel('Scripted demo (a replay, not a model)').check();
    // Its own scenarios, not the A/B test's (the run form's and the data preview's).
    await expect(page.getByLabel('Scenario').locator('option').allInnerTexts()).resolves.toEqual([
      'pair',
      'negative',
      'pair',
      'negative',
    ]);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('[data-check-id]').first().waitFor({ timeout: 200_000 });
    await expect(judgedOnPage(page)).resolves.toBe('10 of 10 judged');
    const shown = await scorecardOnPage(page);
    expect(shown).toEqual({
      total_correct: {
        earned: 10,
        max: 10,
        pass: true,
        judged: true,
        detail: "total 6.5 equals the oracle's",
      },
    });
    // The figures table is the benchmark's own: its one figure beside the oracle's.
    await expect(page.locator('table.figures').innerText()).resolves.toMatch(/total\s+6\.5\s+6\.5/);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download run folder (.zip)' }).click();
    const zip = join(work, 'tiny.zip');
    await (await download).saveAs(zip);
    const folder = unzipRunFolder(zip, work);
    expect(shown).toEqual(
      await scorecardFromCli(folder, {
        mode: 'full',
        scenario: 'pair',
        env: { LOCALDS_BENCHMARKS: PLUGIN },
      }),
    );
    expect(errors).toEqual([]);
  });

  it('shows each suite with its benchmarks, and its score once every member has scored', async () => {
    const page = await wb.context.newPage();
    const errors = watchErrors(page);
    await page.goto(wb.url);
    const analysis = page.locator('section[data-suite="analysis"]');
    await expect(analysis.getByRole('link').allInnerTexts()).resolves.toHaveLength(4);
    await expect(
      analysis.getByRole('link', { name: 'A/B Test Production Analysis' }).count(),
    ).resolves.toBe(1);
    const suiteScore = () =>
      page.locator('table.suite-board[data-suite="tiny"] [data-testid="suite-score"]').innerText();
    for (const [id, expected] of [
      ['tiny-a', 'incomplete: missing tiny-b'],
      ['tiny-b', '100'],
    ] as const) {
      await page.goto(`${wb.url}#/benchmarks/${id}`);
      await page.getByLabel('Scripted demo (a replay, not a model)').check();
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await page.locator('[data-check-id]').first().waitFor({ timeout: 200_000 });
      await page.goto(wb.url);
      await expect(suiteScore()).resolves.toBe(expected);
    }
    expect(errors).toEqual([]);
  });
});
