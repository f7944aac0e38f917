// The run panel's grid in Chromium: two models on one (scripted) server queued as a grid with a
// progress bar; the first attempt cannot load the benchmark's packages (an environment failure,
// never a score, nothing recorded), and "Re-run errored trials" runs both again as the same trial
// once the page runs stdlib-only; the leaderboard then shows each model's trial with pass^k.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from './helpers/sse-server.js';
import { REPO_ROOT, setSettings, useWorkbench, watchErrors } from './helpers/workbench.js';

const wb = useWorkbench();
/** Nothing listens on port 9 (discard) here: the package index cannot be reached. */
const UNREACHABLE = 'http://127.0.0.1:9/pyodide/';
const reference = (
  JSON.parse(
    readFileSync(join(REPO_ROOT, 'tests/fixtures/replays/stdlib-correct.json'), 'utf8'),
  ) as { responses: string[] }
).responses;
let server: ScriptedServer;

beforeAll(async () => {
  // One scripted solution per trial, in order: the server streams a script, not a model.
  server = await startScriptedServer([...reference, 'DONE', ...reference, 'DONE']);
});
afterAll(async () => {
  await server?.close();
});

describe('the run panel queues a grid', () => {
  it('shows progress, re-runs only the errored trials and never adds a score for an environment failure', async () => {
    const page = await wb.context.newPage();
    const errors = watchErrors(page);
    await setSettings(page, wb.url, { indexUrl: UNREACHABLE, stdlibOnly: false });
    await page.goto(`${wb.url}#/benchmarks/ab-test-analysis`);
    await page.getByLabel('OpenAI-compatible server').check();
    await page.getByLabel(/Server URL/).fill(server.baseUrl);
    await page.getByLabel('Model name').fill('m1');
    await page.getByLabel('More models on this server (optional)').fill('m2');
    await page.getByRole('button', { name: 'Queue 2 trials' }).click();
    const progress = page.getByTestId('grid-progress');
    await progress
      .filter({ hasText: '2 of 2 trials ended: 0 finished, 2 environment error(s)' })
      .waitFor({ timeout: 120_000 });
    await expect(page.locator('.grid-panel progress').getAttribute('value')).resolves.toBe('2');
    const cells = page.getByTestId('grid-cell');
    await expect(
      cells.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))),
    ).resolves.toEqual(['environment', 'environment']);
    await expect(cells.first().innerText()).resolves.toMatch(/could not load/);
    expect(server.chatBodies).toHaveLength(0);

    // Standard library only, set in this same tab (the grid lives in the tab), then re-run.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Standard library only').setChecked(true);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.evaluate(() => {
      location.hash = '#/benchmarks/ab-test-analysis';
    });
    await page.getByRole('button', { name: 'Re-run errored trials (2)' }).click();
    await progress
      .filter({ hasText: '2 of 2 trials ended: 2 finished, 0 environment error(s)' })
      .waitFor({ timeout: 600_000 });
    await expect(
      page.getByRole('button', { name: 'Re-run errored trials (0)' }).isDisabled(),
    ).resolves.toBe(true);
    await expect(
      cells.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))),
    ).resolves.toEqual(['finished', 'finished']);

    // Each model has its one trial on the leaderboard (stdlib-only group), with pass^1.
    await page.goto(wb.url);
    for (const model of ['m1', 'm2']) {
      const row = page.locator(`table.leaderboard tr[data-model="${model}"]`);
      await row.waitFor();
      await expect(row.locator('td[data-stat="interval"]').innerText()).resolves.toBe(
        'n too small',
      );
      await expect(row.locator('td[data-stat="pass^1"]').innerText()).resolves.toMatch(
        /^(1|0)\.000$/,
      );
    }
    await page.goto(`${wb.url}#/history`);
    await page.locator('table.runs tbody tr').first().waitFor();
    await expect(page.locator('table.runs tbody tr').count()).resolves.toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  }, 900_000);
});
