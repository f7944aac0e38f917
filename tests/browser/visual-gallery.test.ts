/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser and uses its globals.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { runFileInPage, visualChecksOnPage } from './helpers/visual.js';
import {
  REPO_ROOT,
  SCREENSHOTS,
  scratchDir,
  unzipRunFolder,
  useWorkbench,
  watchErrors,
} from './helpers/workbench.js';

const run = promisify(execFile);
const wb = useWorkbench();
const work = scratchDir('localds-visual-gallery-');

/** A file that meets every cherry-blossoms check (a test fixture, not a benchmark demo). */
const PETALS = readFileSync(
  join(REPO_ROOT, 'tests/fixtures/visual/page/petals-canvas.html'),
  'utf8',
);
const PETALS_MODEL = 'replay: petals.json';

/** Runs the fixture through the page as a replay file; returns the result page's record id. */
async function runPetals(page: Page): Promise<string> {
  await runFileInPage(page, wb.url, 'cherry-blossoms', PETALS, { name: 'petals.json' });
  return decodeURIComponent(page.url().split('#/visual-runs/')[1]!);
}

describe('the gallery, export and import of visual runs', { timeout: 180_000 }, () => {
  it('exports a run as the CLI lays out its folder, which `localds score` scores as the page did, and imports it back', async () => {
    const page = await wb.context.newPage();
    const errors = watchErrors(page);
    await runPetals(page);
    const checks = await visualChecksOnPage(page);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export run folder (.zip)' }).click();
    const zip = join(work, 'cherry.zip');
    await (await download).saveAs(zip);
    const dir = unzipRunFolder(zip, work);
    // runs/<benchmark>/<model-slug>/<run-id>/ with the folder's files.
    expect(dir).toMatch(/runs\/cherry-blossoms\/[^/]+\/[^/]+$/);
    const runJson = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as {
      kind: string;
      scripted: boolean;
      score: number;
    };
    expect(runJson).toMatchObject({ kind: 'visual', scripted: true, score: 100 });
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe(PETALS);
    JSON.parse(readFileSync(join(dir, 'observation.json'), 'utf8'));
    // `localds score` on the exported folder gives the page's checks, point for point.
    const { stdout } = await run(process.execPath, [
      join(REPO_ROOT, 'packages/cli/bin/localds.js'),
      'score',
      dir,
      '--format',
      'json',
    ]);
    const cli = JSON.parse(stdout) as {
      score: number;
      checks: { id: string; points: number | null; max: number }[];
    };
    expect(cli.score).toBe(100);
    expect(Object.fromEntries(cli.checks.map((c) => [c.id, `${c.points}/${c.max}`]))).toEqual(
      Object.fromEntries(Object.entries(checks).map(([id, c]) => [id, c.points])),
    );

    await page.goto(`${wb.url}#/import`);
    await page.getByTestId('import-folder').setInputFiles(dir);
    const outcome = page.locator('.outcomes a').first();
    await expect(outcome.innerText()).resolves.toContain('(visual): 100/100');
    // The same run (benchmark, model, run id) is updated in place, not duplicated.
    await expect(page.getByTestId('import-warning').first().innerText()).resolves.toContain(
      'already here',
    );
    await outcome.click();
    await page.getByTestId('visual-run-result').waitFor();
    await expect(visualChecksOnPage(page)).resolves.toEqual(checks);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows runs by prompt and by model, and plays two side by side in sandboxed frames', async () => {
    const page = await wb.context.newPage();
    const errors = watchErrors(page);
    const first = await runPetals(page);
    await page.goto(`${wb.url}#/gallery`);
    const byPrompt = page.locator('section[data-group="cherry-blossoms"] tbody tr');
    await byPrompt.first().waitFor();
    expect(await byPrompt.count()).toBeGreaterThanOrEqual(2);
    await page.getByRole('button', { name: 'model' }).click();
    await page.locator(`section[data-group="${PETALS_MODEL}"]`).waitFor();

    const boxes = page.getByRole('checkbox');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    const side = page.getByTestId('side-by-side');
    await side.waitFor();
    const frames = side.locator('iframe');
    await expect(frames.count()).resolves.toBe(2);
    for (const sandbox of await frames.evaluateAll((fs) =>
      fs.map((f) => f.getAttribute('sandbox')),
    ))
      expect(sandbox).toBe('allow-scripts');
    // The choice is in the address: a link to the gallery shows the same pair.
    expect(page.url()).toMatch(/[?&]a=.+&b=.+/);
    const links = await side
      .locator('h3 a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toContain(`#/visual-runs/${encodeURIComponent(first)}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'visual-gallery.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
