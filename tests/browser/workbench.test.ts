import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURES,
  importFolder,
  SCREENSHOTS,
  scorecardFromCli,
  scorecardOnPage,
  scratchDir,
  useWorkbench,
  watchErrors,
} from './helpers/workbench.js';

const wb = useWorkbench();
const work = scratchDir('localds-browser-');

beforeAll(() => {
  mkdirSync(SCREENSHOTS, { recursive: true });
});

// A JWT-shaped key as Supabase issues them; it must never appear on the page.
const FAKE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiIsImlzcyI6InN1cGFiYXNlIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

/** A run folder as the article's harness writes it, with a key in supabase.json and in the notebook. */
function articleHarnessRun(): string {
  const root = join(work, 'harness');
  const dir = join(root, 'runs/ab-test-analysis/qwen3-4b/20261124-0300');
  mkdirSync(dir, { recursive: true });
  cpSync(join(FIXTURES, 'correct'), dir, { recursive: true });
  rmSync(join(dir, 'expected-compat.json'));
  writeFileSync(
    join(dir, 'metadata.json'),
    JSON.stringify({ model: 'qwen3:4b', run_id: '20261124-0300' }),
  );
  writeFileSync(join(dir, 'prompt.md'), '# Task\nAnalyse the A/B test.\n');
  writeFileSync(join(dir, 'response.raw.txt'), `headers = {"apikey": "${FAKE_KEY}"}\n`);
  writeFileSync(
    join(dir, 'supabase.json'),
    JSON.stringify({ url: 'https://x.supabase.co', key: FAKE_KEY }),
  );
  const nb = JSON.parse(readFileSync(join(dir, 'analysis.ipynb'), 'utf8')) as {
    cells: { source: unknown }[];
  };
  nb.cells.unshift({
    cell_type: 'code',
    source: [`KEY = "${FAKE_KEY}"\n`],
    outputs: [],
    metadata: {},
    execution_count: null,
  } as never);
  writeFileSync(join(dir, 'analysis.ipynb'), JSON.stringify(nb));
  return root;
}

describe('workbench pages (production build from a sub-path)', { timeout: 30_000 }, () => {
  it('home lists the benchmarks and says there are no runs yet', async () => {
    const page = await wb.context.newPage();
    const errors = watchErrors(page);
    await page.goto(wb.url);
    await page
      .locator('main ul.cards')
      .getByRole('link', { name: 'A/B Test Production Analysis' })
      .waitFor();
    await page.getByText('No runs in this browser yet.').waitFor();
    await page.getByText('No scored runs yet, so no leaderboard.').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'home-empty.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('benchmark page shows the task, the data preview and the oracle behind a disclosure', async () => {
    const page = await wb.context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${wb.url}#/benchmarks/ab-test-analysis`);
    await page.getByRole('heading', { name: 'The task' }).waitFor();
    const task = await page.locator('.task').innerText();
    expect(task).toContain('posthog_events');
    // 844 rows: the canonical dataset's size per the scorer fixtures' README (seed 119005).
    await expect(page.getByTestId('data-counts').innerText()).resolves.toMatch(/^844 rows/);
    await expect(page.locator('.data-preview tbody tr').count()).resolves.toBe(20);
    const reveal = page.locator('details.reveal');
    await expect(reveal.getAttribute('open')).resolves.toBeNull();
    await reveal.locator('summary').click();
    await reveal.locator('table').waitFor();
    // A different scenario changes the preview.
    await page.getByLabel('Scenario').first().selectOption('srm');
    await expect(page.getByTestId('data-counts').innerText()).resolves.not.toMatch(/^844 rows/);
    // The default settings (the scripted demo on embedded data) validate, so Run is enabled.
    await expect(page.getByRole('button', { name: 'Run', exact: true }).isEnabled()).resolves.toBe(
      true,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'benchmark.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('run form validates its fields and makes a benchmark link without keys', async () => {
    const page = await wb.context.newPage();
    await page.goto(`${wb.url}#/benchmarks/ab-test-analysis`);
    await page.getByLabel('OpenAI-compatible server').check();
    await page.getByLabel(/^Server URL/).fill('not a url');
    await page.getByLabel('Model name').fill('qwen3-4b');
    await page.getByLabel('API key (optional)').fill('sk-secret-0123456789abcdef');
    await page.getByLabel('Temperature').fill('7');
    await page.getByText('must be an http:// or https:// URL').waitFor();
    await expect(
      page.getByRole('button', { name: 'Make a link to these settings' }).isDisabled(),
    ).resolves.toBe(true);
    await page.getByLabel(/^Server URL/).fill('http://127.0.0.1:8080/v1');
    await page.getByLabel('Temperature').fill('0.7');
    await page.getByLabel('Trials').fill('3');
    await page.getByRole('button', { name: 'Make a link to these settings' }).click();
    const link = await page.getByTestId('benchmark-link').inputValue();
    expect(link).toContain('endpoint=http%3A%2F%2F127.0.0.1%3A8080%2Fv1');
    expect(link).not.toContain('sk-secret');
    // Opening the link pre-fills the form (loopback server: no question asked).
    const fresh = await wb.context.newPage();
    await fresh.goto(link);
    await expect(fresh.getByLabel('Model name').inputValue()).resolves.toBe('qwen3-4b');
    await expect(fresh.getByLabel('Trials').inputValue()).resolves.toBe('3');
    await expect(fresh.getByLabel('Temperature').inputValue()).resolves.toBe('0.7');
    await expect(fresh.getByLabel('API key (optional)').inputValue()).resolves.toBe('');
    await expect(fresh.locator('dialog[open]').count()).resolves.toBe(0);
    await fresh.close();
    await page.close();
  });

  const FIXTURE_RUNS = ['session-level-rate', 'hard-coded', 'malformed-summary', 'missing-charts'];
  it.each(FIXTURE_RUNS)('imported fixture %s shows the scorecard the CLI gives', async (name) => {
    const page = await wb.context.newPage();
    const errors = watchErrors(page);
    await importFolder(page, wb.url, join(FIXTURES, name));
    const shown = await scorecardOnPage(page);
    expect(Object.keys(shown)).toHaveLength(12);
    expect(shown).toEqual(await scorecardFromCli(join(FIXTURES, name)));
    if (name === 'session-level-rate') {
      await page.screenshot({ path: join(SCREENSHOTS, 'result.png'), fullPage: true });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it("imports the article harness's folder from a zip: scored like the CLI, supabase.json dropped, keys redacted", async () => {
    const root = articleHarnessRun();
    const zip = join(work, 'harness.zip');
    execFileSync('python3', ['-m', 'zipfile', '-c', zip, 'runs'], { cwd: root });
    const runDir = join(root, 'runs/ab-test-analysis/qwen3-4b/20261124-0300');
    const page = await wb.context.newPage();
    await page.goto(`${wb.url}#/import`);
    await page.getByTestId('import-zip').setInputFiles(zip);
    await page.locator('.outcomes a').first().click();
    const shown = await scorecardOnPage(page);
    expect(shown).toEqual(await scorecardFromCli(runDir));
    await expect(page.locator('h1').innerText()).resolves.toContain('qwen3:4b');
    const text = await page.locator('main').innerText();
    expect(text).toContain('supabase.json dropped on import');
    expect(text).not.toContain(FAKE_KEY);
    expect(await page.content()).not.toContain(FAKE_KEY);
    // The exported zip keeps the article's layout and holds no key.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download run folder (.zip)' }).click();
    const file = join(work, 'export.zip');
    await (await download).saveAs(file);
    const listing = execFileSync('python3', [
      '-c',
      `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist(): print(n)
print('KEY' if any(sys.argv[2].encode() in z.read(n) for n in z.namelist()) else 'CLEAN')
`,
      file,
      FAKE_KEY,
    ]).toString();
    expect(listing).toMatch(/^runs\/ab-test-analysis\/qwen3-4b\/20261124-0300\/analysis\.ipynb$/m);
    expect(listing).not.toContain('supabase.json');
    expect(listing.trim().split('\n').pop()).toBe('CLEAN');
    await page.close();
  });

  it('history survives a reload, filters, and compares runs with mean ± spread', async () => {
    const page = await wb.context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${wb.url}#/history`);
    await page.locator('table.runs tbody tr').first().waitFor();
    const before = await page.locator('table.runs tbody tr').count();
    expect(before).toBeGreaterThanOrEqual(5);
    await page.reload();
    await page.locator('table.runs tbody tr').first().waitFor();
    await expect(page.locator('table.runs tbody tr').count()).resolves.toBe(before);
    await page.getByLabel('Score at least (%)').fill('100');
    await expect(page.locator('table.runs tbody tr').count()).resolves.toBe(1);
    await page.getByLabel('Score at least (%)').fill('');
    await page.screenshot({ path: join(SCREENSHOTS, 'history.png'), fullPage: true });
    const boxes = page.locator('table.runs tbody input[type=checkbox]');
    await boxes.nth(0).check();
    await expect(page.getByRole('button', { name: 'Compare selected' }).isDisabled()).resolves.toBe(
      true,
    );
    await boxes.nth(1).check();
    await boxes.nth(2).check();
    await page.getByRole('button', { name: 'Compare selected' }).click();
    await page.getByRole('heading', { name: 'Compare runs' }).waitFor();
    await expect(page.locator('table.compare thead th').count()).resolves.toBe(4);
    await page.getByRole('heading', { name: 'Verdicts with error bars' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'compare.png'), fullPage: true });
    // Home now has recent runs and a leaderboard.
    await page.goto(wb.url);
    await page.locator('table.leaderboard').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'home.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a result link opens its scorecard in a fresh browser context; a tampered one is rejected', async () => {
    const page = await wb.context.newPage();
    await importFolder(page, wb.url, join(FIXTURES, 'session-level-rate'));
    const original = await scorecardOnPage(page);
    await page.getByRole('button', { name: 'Make a result link' }).click();
    const link = await page.getByTestId('result-link').inputValue();
    expect(link).toMatch(/#\/shared\/[A-Za-z0-9_-]+$/);
    await page.close();

    const context = await wb.browser.newContext();
    const fresh = await context.newPage();
    await fresh.goto(link);
    await expect(scorecardOnPage(fresh)).resolves.toEqual(original);
    await expect(fresh.locator('.charts img').count()).resolves.toBe(3);
    await fresh.screenshot({ path: join(SCREENSHOTS, 'shared.png'), fullPage: true });

    // The same link on a phone-sized screen in dark mode (for the design check).
    const phone = await wb.browser.newContext({
      colorScheme: 'dark',
      viewport: { width: 390, height: 844 },
    });
    const small = await phone.newPage();
    await small.goto(link);
    await small.locator('[data-check-id]').first().waitFor();
    await small.screenshot({ path: join(SCREENSHOTS, 'shared-dark-phone.png'), fullPage: true });
    await small.goto(`${wb.url}#/benchmarks/ab-test-analysis`);
    await small.locator('form.run-form').waitFor();
    await small.screenshot({ path: join(SCREENSHOTS, 'benchmark-dark-phone.png') });
    await phone.close();

    // Change one character in the middle of the payload.
    const at = link.length - 40;
    const flipped = link[at] === 'A' ? 'B' : 'A';
    await fresh.goto('about:blank');
    await fresh.goto(link.slice(0, at) + flipped + link.slice(at + 1));
    const error = fresh.getByTestId('share-error');
    await error.waitFor();
    await expect(error.innerText()).resolves.toMatch(
      /^The link was rejected: .*(altered|cut short)/,
    );
    await expect(fresh.locator('[data-check-id]').count()).resolves.toBe(0);
    // And one too large for the cap.
    await fresh.goto(`${link.split('#')[0]}#/shared/${'A'.repeat(40_000)}`);
    await expect(fresh.getByTestId('share-error').innerText()).resolves.toMatch(
      /over the 32 KB cap/,
    );
    await context.close();
  });

  it('settings validate and persist', async () => {
    const page = await wb.context.newPage();
    await page.goto(`${wb.url}#/settings`);
    const index = page.getByLabel('Pyodide package index URL');
    await expect(index.inputValue()).resolves.toBe(
      'https://cdn.jsdelivr.net/pyodide/v314.0.7/full/',
    );
    await index.fill('ftp://mirror/pyodide');
    await expect(page.getByRole('button', { name: 'Save' }).isDisabled()).resolves.toBe(true);
    await index.fill('http://127.0.0.1:9000/pyodide/');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.screenshot({ path: join(SCREENSHOTS, 'settings.png'), fullPage: true });
    await page.reload();
    await expect(page.getByLabel('Pyodide package index URL').inputValue()).resolves.toBe(
      'http://127.0.0.1:9000/pyodide/',
    );
    // "Standard library only" persists too, and settings saved before it existed still load (off).
    const stdlib = page.getByLabel('Standard library only');
    await expect(stdlib.isChecked()).resolves.toBe(false);
    await stdlib.check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.reload();
    await expect(page.getByLabel('Standard library only').isChecked()).resolves.toBe(true);
    await page.evaluate(() =>
      localStorage.setItem(
        'localds.settings.v1',
        JSON.stringify({ pyodideIndexUrl: 'http://127.0.0.1:9001/pyodide/', webllmModelBase: '' }),
      ),
    );
    await page.reload();
    await expect(page.getByLabel('Standard library only').isChecked()).resolves.toBe(false);
    await expect(page.getByLabel('Pyodide package index URL').inputValue()).resolves.toBe(
      'http://127.0.0.1:9001/pyodide/',
    );
    await page.close();
  });
});
