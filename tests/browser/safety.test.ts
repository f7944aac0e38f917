/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser and uses its globals.
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { FIXTURES, SCREENSHOTS, scratchDir, useWorkbench } from './helpers/workbench.js';

const wb = useWorkbench();
const work = scratchDir('localds-safety-');

/** Every URL the page asks for, by host. */
function recordRequests(page: Page): URL[] {
  const seen: URL[] = [];
  page.on('request', (r) => seen.push(new URL(r.url())));
  return seen;
}
const offMachine = (urls: URL[]) =>
  urls.filter((u) => u.hostname !== '127.0.0.1' && u.protocol.startsWith('http'));

const REMOTE_MODEL = 'https://models.example.com/v1';
const REMOTE_DATA = 'https://abcdefgh.supabase.co';

describe('a benchmark link naming servers off this machine', { timeout: 30_000 }, () => {
  const query = new URLSearchParams({
    source: 'openai',
    model: 'qwen3-4b',
    endpoint: REMOTE_MODEL,
    data: 'supabase',
    supabase: REMOTE_DATA,
    trials: '2',
  });

  it('asks first, sends nothing before consent, and fills the form after "Allow"', async () => {
    const page = await wb.context.newPage();
    const requests = recordRequests(page);
    await page.goto(`${wb.url}#/benchmarks/ab-test-analysis?${query}`);
    const dialog = page.getByRole('dialog', {
      name: 'This link names servers outside this machine',
    });
    await dialog.waitFor();
    await expect(dialog.innerText()).resolves.toContain(REMOTE_MODEL);
    await expect(dialog.innerText()).resolves.toContain(REMOTE_DATA);
    // The form is not shown (so nothing could be sent) while the question is open.
    await expect(page.locator('form.run-form').count()).resolves.toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'consent.png') });
    expect(offMachine(requests)).toEqual([]);
    await dialog.getByRole('button', { name: 'Allow these servers' }).click();
    await expect(page.getByLabel(/^Server URL/).inputValue()).resolves.toBe(REMOTE_MODEL);
    await expect(page.getByLabel('Supabase project URL').inputValue()).resolves.toBe(REMOTE_DATA);
    await expect(page.getByLabel('Trials').inputValue()).resolves.toBe('2');
    expect(offMachine(requests)).toEqual([]);
    await page.close();
  });

  it('"Don\'t allow" (or Escape) keeps the remote servers out of the form', async () => {
    const page = await wb.context.newPage();
    const requests = recordRequests(page);
    await page.goto(`${wb.url}#/benchmarks/ab-test-analysis?${query}`);
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('form.run-form').waitFor();
    await expect(
      page.getByLabel('Scripted demo (a replay, not a model)').isChecked(),
    ).resolves.toBe(true);
    await expect(
      page.getByLabel('Embedded dataset (served inside this page)').isChecked(),
    ).resolves.toBe(true);
    await page.getByText(/The link.s remote servers were not used/).waitFor();
    // Settings that stay on this machine still apply.
    await expect(page.getByLabel('Trials').inputValue()).resolves.toBe('2');
    expect(offMachine(requests)).toEqual([]);
    await page.close();
  });
});

// Payloads that would run script or set a global if they reached the DOM unsanitised.
const PAYLOADS = [
  '<img src=x onerror="window.__xss=1;alert(1)">',
  '<script>window.__xss=2;alert(2)</script>',
  '<a id="js-link" href="javascript:window.__xss=3;alert(3)">click me</a>',
  '<svg onload="window.__xss=4;alert(4)"><circle r="3"/></svg>',
  '<iframe src="javascript:alert(5)"></iframe>',
  '<img src="http://evil.example/track.png">',
];

/** The correct fixture with XSS attempts in a markdown cell and in text/html outputs. */
function hostileRun(): string {
  const dir = join(work, 'hostile');
  cpSync(join(FIXTURES, 'correct'), dir, { recursive: true });
  rmSync(join(dir, 'expected-compat.json'));
  const nb = JSON.parse(readFileSync(join(dir, 'analysis.ipynb'), 'utf8')) as { cells: unknown[] };
  nb.cells.push(
    {
      cell_type: 'markdown',
      metadata: {},
      source: [
        '## Findings\n',
        ...PAYLOADS.map((p) => `${p}\n\n`),
        '[markdown link](javascript:window.__xss=6)\n',
      ],
    },
    {
      cell_type: 'code',
      metadata: {},
      execution_count: 9,
      source: ['df.head()'],
      outputs: [
        {
          output_type: 'execute_result',
          execution_count: 9,
          metadata: {},
          data: {
            'text/html': [`<table><tr><td>${PAYLOADS.join('</td><td>')}</td></tr></table>`],
            'text/plain': ['df'],
          },
        },
        { output_type: 'display_data', metadata: {}, data: { 'text/html': PAYLOADS.join('') } },
      ],
    },
  );
  writeFileSync(join(dir, 'analysis.ipynb'), JSON.stringify(nb));
  return dir;
}

describe('model output cannot run script in the page', { timeout: 30_000 }, () => {
  it('XSS attempts in notebook markdown and text/html outputs do nothing', async () => {
    const dir = hostileRun();
    const page = await wb.context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const requests = recordRequests(page);
    await page.goto(`${wb.url}#/import`);
    await page.getByTestId('import-files').setInputFiles(readdirSync(dir).map((f) => join(dir, f)));
    await page.locator('.outcomes a').first().click();
    const notebook = page.locator('ol.notebook');
    await notebook.getByText('Findings').waitFor();
    await expect(notebook.locator('.output-html table').count()).resolves.toBe(1);
    // Click everything that was a javascript: link.
    for (const link of await notebook.locator('a').all())
      await link.click({ force: true }).catch(() => {});
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    await expect(
      page.evaluate(() => (window as { __xss?: unknown }).__xss),
    ).resolves.toBeUndefined();
    await expect(notebook.locator('script, iframe, [onerror], [onload]').count()).resolves.toBe(0);
    await expect(notebook.locator('a[href^="javascript:" i]').count()).resolves.toBe(0);
    expect(requests.filter((u) => u.hostname === 'evil.example')).toEqual([]);
    await page.close();
  });
});
