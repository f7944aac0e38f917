/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser and uses its globals.
import { visualBenchmarks } from '@localds/benchmarks';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { visualChecksOnPage } from './helpers/visual.js';
import { SCREENSHOTS, useWorkbench, watchErrors } from './helpers/workbench.js';

const wb = useWorkbench();

describe('visual benchmarks in the page', { timeout: 120_000 }, () => {
  it('home lists every visual benchmark with its kind', async () => {
    const page = await wb.context.newPage();
    await page.goto(wb.url);
    const cards = page.getByTestId('visual-benchmarks').locator('li');
    await cards.first().waitFor();
    const listed = await cards.evaluateAll((els) =>
      els.map((el) => [el.querySelector('a')?.getAttribute('href'), el.getAttribute('data-kind')]),
    );
    expect(listed).toEqual(visualBenchmarks.map((b) => [`#/benchmarks/${b.id}`, 'visual']));
    await page.close();
  });

  it('every visual benchmark has a scripted demo to run', () => {
    const missing = visualBenchmarks.filter((b) => b.demoReplay === null).map((b) => b.id);
    expect(missing, 'visual benchmarks without a demo').toEqual([]);
  });

  // Each demo runs below; one without a demo fails the test above rather than being skipped quietly.
  for (const benchmark of visualBenchmarks.filter((b) => b.demoReplay !== null)) {
    it(`${benchmark.id}: the scripted demo renders in the sandboxed frame and scores 100, as recorded`, async () => {
      const page = await wb.context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${wb.url}#/benchmarks/${benchmark.id}`);
      await expect(page.getByTestId('visual-prompt').innerText()).resolves.toContain(
        benchmark.task.split('\n')[0],
      );
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      // While it renders: the probing frame is a sandboxed srcdoc frame (scripts only, opaque origin).
      const stageFrame = page.locator('#visual-render-stage iframe');
      await stageFrame.waitFor({ timeout: 30_000 });
      await expect(stageFrame.getAttribute('sandbox')).resolves.toBe('allow-scripts');
      await expect(stageFrame.evaluate((f) => f.hasAttribute('src'))).resolves.toBe(false);
      await page.getByTestId('visual-run-result').waitFor({ timeout: 90_000 });
      await expect(page.getByTestId('visual-score').innerText()).resolves.toContain('100/100');
      const checks = await visualChecksOnPage(page);
      expect(Object.values(checks).every((c) => c.passed === 'true')).toBe(true);
      // The final file plays in a sandboxed frame; its source is shown as text, never as markup.
      // (textContent, not innerText: the source sits in a closed <details>, whose innerText is empty.)
      const final = page.getByTestId('final-frame').locator('iframe');
      await expect(final.getAttribute('sandbox')).resolves.toBe('allow-scripts');
      await expect(page.getByTestId('final-source').textContent()).resolves.toContain('<');
      await page.screenshot({ path: join(SCREENSHOTS, `visual-${benchmark.id}.png`) });
      // As recorded: a reload reads the record back from IndexedDB and shows the same checks.
      await page.reload();
      await page.getByTestId('visual-run-result').waitFor();
      await expect(visualChecksOnPage(page)).resolves.toEqual(checks);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
