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
 * The second benchmark in the page (issue #12): the home page lists both benchmarks; the scripted
 * retention-cohorts demo (stdlib-only, Pyodide in the page) runs end to end and its scorecard equals
 * `localds score` on the exported folder; the leaderboard keeps the two benchmarks in separate tables.
 */
const wb = useWorkbench();
const work = scratchDir('localds-retention-page-');

async function runDemo(page: Page, title: string): Promise<void> {
  await page.goto(wb.url);
  await page.locator('main ul.cards').getByRole('link', { name: title }).click();
  await page.getByLabel('Scripted demo (a replay, not a model)').check();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.locator('[data-check-id]').first().waitFor({ timeout: 300_000 });
}

describe('retention-cohorts in the page', () => {
  it(
    'is listed beside the A/B test, runs its demo, scores as the CLI does, and has its own leaderboard',
    { timeout: 900_000 },
    async () => {
      const page = await wb.context.newPage();
      const errors = watchErrors(page);
      await page.goto(wb.url);
      const home = page.locator('main ul.cards');
      for (const title of ['A/B Test Production Analysis', 'Player Retention with Censoring']) {
        await expect(home.getByRole('link', { name: title }).count(), title).resolves.toBe(1);
      }

      await runDemo(page, 'Player Retention with Censoring');
      // Stdlib-only in the page: no matplotlib, so chart labels are the one check not judged.
      await expect(judgedOnPage(page)).resolves.toBe('96 of 96 judged');
      const shown = await scorecardOnPage(page);
      expect(Object.keys(shown)).toHaveLength(12);
      expect(shown.charts_labeled?.judged).toBe(false);
      expect(Object.values(shown).every((c) => c.pass || !c.judged)).toBe(true);

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download run folder (.zip)' }).click();
      const zip = join(work, 'retention.zip');
      await (await download).saveAs(zip);
      const folder = unzipRunFolder(zip, work);
      expect(shown).toEqual(
        await scorecardFromCli(folder, { mode: 'full', scenario: 'canonical' }),
      );

      await runDemo(page, 'A/B Test Production Analysis');
      await page.goto(wb.url);
      await page.locator('table.leaderboard').first().waitFor();
      const captions = await page.locator('table.leaderboard caption').allInnerTexts();
      expect(captions).toHaveLength(2);
      expect(captions.filter((c) => c.startsWith('retention-cohorts '))).toHaveLength(1);
      expect(captions.filter((c) => c.startsWith('ab-test-analysis '))).toHaveLength(1);
      for (const table of await page.locator('table.leaderboard').all()) {
        await expect(table.locator('tbody tr').count()).resolves.toBe(1);
        await expect(table.locator('tbody tr td').first().innerText()).resolves.toBe('1');
      }
      expect(errors).toEqual([]);
    },
  );
});
