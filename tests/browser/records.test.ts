/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser and uses its globals.
import { execFileSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FIXTURES,
  importFolder,
  scorecardFromCli,
  scorecardOnPage,
  scratchDir,
  useWorkbench,
} from './helpers/workbench.js';

const wb = useWorkbench();
const work = scratchDir('localds-records-');

/** A smooth 1600×1000 RGB PNG (Python's zlib: no image library needed). */
function writeLargePng(file: string): void {
  execFileSync('python3', [
    '-c',
    `
import struct, sys, zlib
w, h = 1600, 1000
raw = b''.join(b'\\x00' + bytes(v for x in range(w) for v in (x * 255 // w, y * 255 // h, 128)) for y in range(h))
def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
png = b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
open(sys.argv[1], 'wb').write(png)
`,
    file,
  ]);
}

describe('stored runs and links', { timeout: 30_000 }, () => {
  it('scores a run.json run in full mode against its own data snapshot and labels a scripted run as such', async () => {
    const page = await wb.context.newPage();
    await importFolder(page, wb.url, join(FIXTURES, 'full-correct'));
    // A folder whose run.json has a trace is scored in full mode wherever it is scored.
    await expect(scorecardOnPage(page)).resolves.toEqual(
      await scorecardFromCli(join(FIXTURES, 'full-correct'), { mode: 'full' }),
    );
    await expect(page.getByTestId('score-judged').innerText()).resolves.toBe('100 of 100 judged');
    const main = await page.locator('main').innerText();
    expect(main).toContain("oracle from the run's data snapshot");
    await expect(page.locator('h1 .badge-scripted').innerText()).resolves.toBe('scripted');
    expect(main).toContain('This is a scripted replay, not a live model');
    await page.goto(`${wb.url}#/history`);
    await page.locator('table.runs').waitFor();
    await expect(page.locator('table.runs .badge-scripted').count()).resolves.toBe(1);
    await page.close();
  });

  it('shrinks a large chart so the result link stays under the cap', async () => {
    const dir = join(work, 'big-chart');
    cpSync(join(FIXTURES, 'correct'), dir, { recursive: true });
    writeLargePng(join(dir, 'chart-distribution.png'));
    const page = await wb.context.newPage();
    await importFolder(page, wb.url, dir);
    await page.getByRole('button', { name: 'Make a result link' }).click();
    const link = await page.getByTestId('result-link').inputValue();
    expect(link.split('#/shared/')[1]!.length).toBeLessThanOrEqual(32 * 1024);
    await page.goto(link);
    const big = page.locator('figure', { hasText: 'chart-distribution.png' }).locator('img');
    await big.waitFor();
    const width = await big.evaluate((img: HTMLImageElement) => img.naturalWidth);
    expect(width).toBeLessThan(1600);
    expect(width).toBeGreaterThan(0);
    await page.close();
  });

  it('reports a damaged IndexedDB record instead of showing it', async () => {
    const page = await wb.context.newPage();
    await page.goto(`${wb.url}#/history`);
    await page.locator('table.runs').waitFor();
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('localds');
          open.onsuccess = () => {
            const tx = open.result.transaction('runs', 'readwrite');
            tx.objectStore('runs').put({ id: 'damaged', createdAt: '2099-01-01', schema: 99 });
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
          open.onerror = () => reject(open.error);
        }),
    );
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'could not be read' });
    await expect(alert.innerText()).resolves.toMatch(/damaged: schema/);
    await page.goto(`${wb.url}#/runs/damaged`);
    await expect(page.getByRole('alert').innerText()).resolves.toContain(
      'The stored run is damaged',
    );
    await page.close();
  });

  it('says why an import failed', async () => {
    const notZip = join(work, 'broken.zip');
    writeFileSync(notZip, 'this is not a zip');
    const page = await wb.context.newPage();
    await page.goto(`${wb.url}#/import`);
    await page.getByTestId('import-zip').setInputFiles(notZip);
    await page.locator('.outcomes', { hasText: /broken\.zip is not a readable zip/ }).waitFor();
    const stray = join(work, 'notes.txt');
    writeFileSync(stray, 'hello');
    await page.getByTestId('import-files').setInputFiles(stray);
    await page.locator('.outcomes', { hasText: /no run folder found/ }).waitFor();
    await page.close();
  });

  it('a benchmark link with invalid settings says so and shows the defaults', async () => {
    const page = await wb.context.newPage();
    await page.goto(
      `${wb.url}#/benchmarks/ab-test-analysis?trials=500&top_p=3&apikey=sk-should-be-ignored`,
    );
    const alert = page.getByRole('alert').filter({ hasText: 'not valid' });
    await expect(alert.innerText()).resolves.toMatch(/trials/);
    await expect(page.getByLabel('Trials').inputValue()).resolves.toBe('1');
    await expect(page.content()).resolves.not.toContain('sk-should-be-ignored');
    await page.goto(`${wb.url}#/benchmarks/no-such-benchmark`);
    await expect(page.getByRole('alert').innerText()).resolves.toContain(
      'is not a benchmark this page knows',
    );
    await page.close();
  });
});
