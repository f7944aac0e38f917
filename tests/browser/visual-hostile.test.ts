/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser and uses its globals.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { runFileInPage, visualChecksOnPage } from './helpers/visual.js';
import { REPO_ROOT, useWorkbench } from './helpers/workbench.js';

const wb = useWorkbench();
const HOSTILE = join(REPO_ROOT, 'tests/fixtures/visual/hostile');

/** vcore's manifest: each hostile file, what it tries, and the checks it must fail. */
interface HostileFixture {
  file: string;
  tries: string;
  fails: string[];
}
const manifest = JSON.parse(readFileSync(join(HOSTILE, 'hostile.json'), 'utf8')) as Record<
  string,
  HostileFixture
>;
const fixtures = Object.entries(manifest);

/** What a file must not change: the page's address, title, storage and everything outside the frame. */
async function pageState(page: Page) {
  return page.evaluate(() => ({
    origin: location.origin,
    path: location.pathname,
    title: document.title,
    local: JSON.stringify(Object.entries(localStorage).sort()),
    session: JSON.stringify(Object.entries(sessionStorage).sort()),
    header: document.querySelector('header.site-header')?.outerHTML ?? null,
    bodyChildren: Array.from(document.body.children).map((e) => `${e.tagName}#${e.id}`),
  }));
}

describe('hostile files run through the page', { timeout: 120_000 }, () => {
  it('the manifest lists files that exist', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
    for (const [, f] of fixtures) {
      expect(readFileSync(join(HOSTILE, f.file), 'utf8').length).toBeGreaterThan(0);
    }
  });

  for (const [name, fixture] of fixtures) {
    it(`${name} (${fixture.tries}): nothing outside the frame changes, no request leaves, a verdict is recorded`, async () => {
      const page = await wb.context.newPage();
      // The page's own errors only: the file's errors (its frame is part of the page for Playwright)
      // are its verdict's business, and come from about:srcdoc, not from the page's assets.
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => {
        if ((e.stack ?? '').includes(wb.url)) pageErrors.push(e.message);
      });
      // The browser's request log: every request any frame of the page made, and which of them were
      // answered. A request the CSP refused shows as asked for and failed, never answered; anything
      // that would really go out to another host is caught here, at the network layer.
      const asked: string[] = [];
      const answered: string[] = [];
      const leaked: string[] = [];
      page.on('request', (r) => asked.push(r.url()));
      page.on('response', (r) => answered.push(r.url()));
      await page.route(
        (url) => !url.href.startsWith(wb.url),
        async (route) => {
          leaked.push(route.request().url());
          await route.abort();
        },
      );
      await page.goto(`${wb.url}#/benchmarks/cherry-blossoms`);
      await page.getByTestId('visual-prompt').waitFor();
      await page.evaluate(() => {
        localStorage.setItem('canary', 'local');
        sessionStorage.setItem('canary', 'session');
      });
      const before = await pageState(page);
      const html = readFileSync(join(HOSTILE, fixture.file), 'utf8');
      // The page must answer quickly all along, even while a file hangs its frame.
      let slowestMs = 0;
      await runFileInPage(page, wb.url, 'cherry-blossoms', html, {
        name: `${fixture.file}.json`,
        whileRunning: async () => {
          const started = Date.now();
          await page.evaluate(() => document.readyState);
          slowestMs = Math.max(slowestMs, Date.now() - started);
          await page.waitForTimeout(200);
        },
      });
      // Generous on a loaded 2-core machine; a page blocked by its frame would never answer at all.
      expect(slowestMs).toBeLessThan(5000);
      const after = await pageState(page);
      expect(after).toEqual(before);
      expect(page.url()).toMatch(/#\/visual-runs\/[^/]+$/);
      // A clear verdict on record: how the run ended and, for a rendered file, the checks.
      await expect(page.getByTestId('visual-end').innerText()).resolves.toMatch(/^Ended: \S+/);
      await expect(page.getByTestId('visual-score').innerText()).resolves.not.toBe('');
      // The verdict names what the file did: each check the manifest says it fails, failed here.
      const checks = await visualChecksOnPage(page);
      for (const id of fixture.fails) expect(checks[id]?.passed, id).toBe('false');
      // Nothing reached the network: the only requests answered or let out were the page's own assets.
      const foreign = (urls: string[]) =>
        urls.filter((url) => /^(https?|wss?|ftp):/i.test(url) && !url.startsWith(wb.url));
      expect(foreign(answered)).toEqual([]);
      expect(leaked).toEqual([]);
      if (foreign(asked).length) console.log(`${name}: asked for and refused:`, foreign(asked));
      console.log(`${name}: the page answered within ${slowestMs} ms at worst while the file ran`);
      expect(pageErrors).toEqual([]);
      await page.close();
    });
  }
});
