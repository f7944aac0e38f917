import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  judgedOnPage,
  scorecardFromCli,
  scorecardOnPage,
  scratchDir,
  unzipRunFolder,
  useWorkbench,
  watchErrors,
} from './helpers/workbench.js';

/**
 * The third and fourth analyses in the page (issue #13): each stdlib-only demo (Pyodide in the page)
 * earns every judged point and scores as `localds score` scores its exported folder; the leaderboard's
 * `analysis` suite table then says which members are still missing instead of a score.
 */
const wb = useWorkbench();
const work = scratchDir('localds-segments-page-');

async function runDemo(page: Page, title: string): Promise<void> {
  await page.goto(wb.url);
  await page.locator('main ul.cards').getByRole('link', { name: title }).click();
  await page.getByLabel('Scripted demo (a replay, not a model)').check();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.locator('[data-check-id]').first().waitFor({ timeout: 300_000 });
}

describe('launch-segments and anomaly-days in the page', () => {
  it(
    'run their demos end to end, earn every judged point, and score as the CLI does',
    { timeout: 900_000 },
    async () => {
      const page = await wb.context.newPage();
      const errors = watchErrors(page);
      for (const [id, title] of [
        ['launch-segments', 'Launch Read Across Segments'],
        ['anomaly-days', 'Anomalous Days'],
      ] as const) {
        await runDemo(page, title);
        const judged = await judgedOnPage(page);
        const [earned, of] = /^(\d+) of (\d+) judged$/.exec(judged)!.slice(1).map(Number);
        expect(earned, `${id}: ${judged}`).toBe(of);
        const shown = await scorecardOnPage(page);
        expect(
          Object.values(shown).every((c) => c.pass || !c.judged),
          id,
        ).toBe(true);
        const download = page.waitForEvent('download');
        await page.getByRole('button', { name: 'Download run folder (.zip)' }).click();
        const zip = join(work, `${id}.zip`);
        await (await download).saveAs(zip);
        const folder = unzipRunFolder(zip, work);
        expect(shown, id).toEqual(
          await scorecardFromCli(folder, { mode: 'full', scenario: 'canonical' }),
        );
      }
      await page.goto(wb.url);
      await expect(
        page
          .locator('table.suite-board[data-suite="analysis"] [data-testid="suite-score"]')
          .innerText(),
      ).resolves.toBe('incomplete: missing ab-test-analysis, retention-cohorts');
      expect(errors).toEqual([]);
    },
  );
});
