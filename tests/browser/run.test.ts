/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser and uses its globals.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  importFolder,
  judgedOnPage,
  SCREENSHOTS,
  scorecardFromCli,
  scorecardOnPage,
  scratchDir,
  unzipRunFolder,
  useWorkbench,
  watchErrors,
} from './helpers/workbench.js';

const wb = useWorkbench();
const work = scratchDir('localds-run-');

/** Opens the benchmark page with the default settings (scripted demo, embedded data) and runs it. */
async function startDemo(page: Page): Promise<string> {
  await page.goto(`${wb.url}#/benchmarks/ab-test-analysis`);
  await page.getByLabel('Scripted demo (a replay, not a model)').check();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.locator('.live-run').waitFor();
  return decodeURIComponent(new URL(page.url()).hash.replace(/^#\/runs\//, ''));
}

const CHARTS = [
  'chart-distribution.png',
  'chart-treatment-effect.png',
  'chart-completion-rates.png',
];

/**
 * Dark pixels in rows y0..y1 of an 8-bit RGB PNG written without row filters (as the demo writes
 * them): where text is drawn, the white background has ink.
 */
function darkPixels(png: Buffer, y0: number, y1: number): number {
  let offset = 8;
  let width = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') width = data.readUInt32BE(0);
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = 1 + width * 3;
  let dark = 0;
  for (let y = y0; y < y1; y++) {
    expect(raw[y * stride], 'row filter').toBe(0);
    for (let x = 0; x < width; x++) {
      const p = y * stride + 1 + x * 3;
      if (raw[p]! + raw[p + 1]! + raw[p + 2]! < 200) dark++;
    }
  }
  return dark;
}

interface RunJsonRead {
  isolation_report: unknown;
  trace: { requests: unknown[] };
  counterfactual?: unknown;
}

function readRunJson(folder: string): RunJsonRead {
  return JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as RunJsonRead;
}

describe('the scripted demo run in the page (Pyodide, embedded data)', { timeout: 240_000 }, () => {
  it('streams its cells and charts, then scores them exactly as `localds score --mode full` does', async () => {
    const page = await wb.context.newPage();
    const errors = watchErrors(page);
    // Every script the run loads, by URL, and whether it holds WebLLM's engine.
    const scripts: Promise<{ url: string; webllm: boolean }>[] = [];
    page.on('response', (r) => {
      if (!r.url().endsWith('.js')) return;
      scripts.push(
        r.body().then(
          (body) => ({ url: r.url(), webllm: body.includes('MLCEngine') }),
          () => ({ url: r.url(), webllm: false }),
        ),
      );
    });
    const runId = await startDemo(page);
    await expect(page.locator('.live-run h1 .badge-scripted').innerText()).resolves.toBe(
      'scripted',
    );
    // A replay's text arrives as fast as the page takes it: no tokens per second.
    await expect(page.getByTestId('tokens-per-second').innerText()).resolves.toBe(
      'not applicable (replay)',
    );
    // Cells appear with their outputs while the run goes on, and the view follows them down.
    await page.locator('.live-run .cell-code').nth(2).waitFor({ timeout: 120_000 });
    await expect(page.evaluate(() => window.scrollY)).resolves.toBeGreaterThan(0);
    await page.locator('.live-run .charts img').first().waitFor({ timeout: 120_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'live-run.png'), fullPage: true });
    await page.locator('[data-check-id]').first().waitFor({ timeout: 200_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'run-result.png'), fullPage: true });
    // A replay needs no WebLLM: its 2 MB (gzip) code is loaded for WebLLM runs only.
    const loaded = await Promise.all(scripts);
    expect(loaded.some((s) => /run-trial/.test(s.url))).toBe(true);
    expect(loaded.filter((s) => s.webllm).map((s) => s.url)).toEqual([]);

    const main = page.locator('main');
    await expect(main.locator('.cell-code').count()).resolves.toBeGreaterThanOrEqual(6);
    await expect(main.locator('.charts img').count()).resolves.toBe(3);
    await expect(main.locator('h1 .badge-scripted').innerText()).resolves.toBe('scripted');
    const shown = await scorecardOnPage(page);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download run folder (.zip)' }).click();
    const zip = join(work, 'demo.zip');
    await (await download).saveAs(zip);
    const folder = unzipRunFolder(zip, work);
    expect(shown).toEqual(await scorecardFromCli(folder, { mode: 'full' }));
    // The demo declares it needs the standard library only, and runs so without the user choosing.
    expect(JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')).environment).toEqual({
      packages: 'stdlib-only',
      loaded: [],
    });
    // Its charts carry title, axis labels and legend in their pixels, not only in PNG metadata.
    for (const name of CHARTS) {
      const png = readFileSync(join(folder, name));
      expect(darkPixels(png, 18, 36), `${name}: title`).toBeGreaterThan(300);
      expect(darkPixels(png, 553, 571), `${name}: x-axis label`).toBeGreaterThan(100);
    }
    const chartsShown = main.locator('.charts').first();
    await chartsShown.scrollIntoViewIfNeeded();
    await chartsShown.screenshot({ path: join(SCREENSHOTS, 'demo-charts.png') });
    // The page says how it ran: the level, and each request model code made.
    await expect(main.locator('.facts').innerText()).resolves.toContain('browser-worker');
    await expect(main.getByTestId('run-requests').locator('tbody tr').count()).resolves.toBe(
      readRunJson(folder).trace.requests.length,
    );
    // This static server sends no COOP/COEP and the service worker was not in control yet.
    expect(readRunJson(folder).isolation_report).toMatchObject({
      level: 'browser-worker',
      crossOriginIsolated: false,
      runawayCell: 'new-worker',
      data: 'snapshot',
    });
    // The demo solution is correct: every judged check passes (the CLI, scoring independently, agrees
    // above). It draws its charts without matplotlib, so their labels cannot be judged: 95 of 95.
    expect(Object.values(shown).every((c) => c.pass || !c.judged)).toBe(true);
    expect(shown.charts_labeled).toMatchObject({ judged: false, earned: 0 });
    await expect(judgedOnPage(page)).resolves.toBe('95 of 95 judged');
    expect(errors).toEqual([]);

    // One run, one score: imported into a fresh browser, which cannot re-execute, the folder is scored
    // in full mode with the counterfactual outcome run.json stored, and gives the same scorecard.
    expect(readRunJson(folder).counterfactual).toMatchObject({ outcome: { ok: true } });
    const fresh = await wb.browser.newContext();
    const other = await fresh.newPage();
    await importFolder(other, wb.url, folder);
    const imported = await scorecardOnPage(other);
    const stored = ' (counterfactual outcome stored in run.json, not re-executed here)';
    for (const id of ['p_value', 'cohens_d', 'completion_rates', 'recommended_variant']) {
      expect(imported[id]!.detail).toContain(stored);
    }
    const unmarked = Object.fromEntries(
      Object.entries(imported).map(([id, c]) => [
        id,
        { ...c, detail: c.detail.replaceAll(stored, '') },
      ]),
    );
    expect(unmarked).toEqual(shown);
    await expect(judgedOnPage(other)).resolves.toBe('95 of 95 judged');
    // Imported twice: one history entry, updated, and the second import says so.
    await other.goto(`${wb.url}#/import`);
    await other.getByTestId('import-folder').setInputFiles(folder);
    await expect(other.getByTestId('import-warning').innerText()).resolves.toMatch(
      /was already in history: its record was updated, not duplicated/,
    );
    await other.goto(`${wb.url}#/history`);
    await other.locator('table.runs tbody tr').first().waitFor();
    await expect(other.locator('table.runs tbody tr').count()).resolves.toBe(1);
    await fresh.close();
    // Imported into the browser that ran it: still one entry for this run.
    await importFolder(page, wb.url, folder);
    await page.goto(`${wb.url}#/history`);
    await page.locator('table.runs tbody tr').first().waitFor();
    await expect(page.locator('table.runs tbody tr', { hasText: runId }).count()).resolves.toBe(1);
    await page.close();
  });

  it('keeps a partial run when the page is reloaded mid-run', async () => {
    const page = await wb.context.newPage();
    const id = await startDemo(page);
    // The second cell starts only after the first finished, whose record was saved by then.
    await page.locator('.live-run .cell-code').nth(1).waitFor({ timeout: 120_000 });
    await page.reload();
    await page.getByTestId('partial-notice').waitFor();
    await expect(page.getByTestId('partial-notice').innerText()).resolves.toContain(
      'harness_error',
    );
    await expect(page.locator('h1').innerText()).resolves.toContain('partial');
    // Named as finished runs name it (it was "provider scripted" when stopped early).
    await expect(page.locator('main').innerText()).resolves.toContain('provider replay');
    // The cells run before the reload were saved with the record.
    await expect(page.locator('main .cell-code').count()).resolves.toBeGreaterThanOrEqual(1);
    await page.goto(`${wb.url}#/history`);
    await page.locator('table.runs').waitFor();
    await expect(page.locator('table.runs').innerText()).resolves.toContain(id.slice(0, 10));
    await page.close();
  });

  it('Stop ends the run as aborted and keeps its record', async () => {
    const page = await wb.context.newPage();
    await startDemo(page);
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByTestId('partial-notice').waitFor({ timeout: 120_000 });
    await expect(page.getByTestId('partial-notice').innerText()).resolves.toContain('aborted');
    await page.close();
  });

  it('works offline and cross-origin isolated on a second visit: the service worker serves the shell and Pyodide', async () => {
    const context = await wb.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${wb.url}#/`);
    // Installed once every precached file (the shell and Pyodide's core) is in the cache.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const names = await caches.keys();
      const shell = names.find((n) => n.startsWith('localds-shell-'));
      if (!shell || !(await (await caches.open(shell)).match('pyodide/pyodide.asm.wasm'))) {
        throw new Error(`no precached Pyodide core in ${names.join(', ')}`);
      }
    });
    // This static server sends no COOP/COEP: only the service worker's copy of the page is isolated.
    await expect(page.evaluate(() => crossOriginIsolated)).resolves.toBe(false);
    await context.setOffline(true);
    const offline = await context.newPage();
    await offline.goto(`${wb.url}#/benchmarks/ab-test-analysis`);
    // Cross-origin isolated (a runaway cell is interrupted, not restarted), and the run below works so.
    await expect(offline.evaluate(() => crossOriginIsolated)).resolves.toBe(true);
    await offline.getByLabel('Scripted demo (a replay, not a model)').check();
    await offline.getByRole('button', { name: 'Run', exact: true }).click();
    await offline.locator('[data-check-id]').first().waitFor({ timeout: 200_000 });
    const card = await scorecardOnPage(offline);
    expect(Object.values(card).every((c) => c.pass || !c.judged)).toBe(true);
    // The run knew it: a runaway cell would have been interrupted in place.
    const download = offline.waitForEvent('download');
    await offline.getByRole('button', { name: 'Download run folder (.zip)' }).click();
    const zip = join(work, 'offline.zip');
    await (await download).saveAs(zip);
    expect(readRunJson(unzipRunFolder(zip, work)).isolation_report).toMatchObject({
      crossOriginIsolated: true,
      runawayCell: 'keyboard-interrupt',
    });
    await context.close();
  });
});
