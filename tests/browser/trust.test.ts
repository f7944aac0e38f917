/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser and uses its globals.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FIXTURES, scratchDir, useWorkbench, watchErrors } from './helpers/workbench.js';

const wb = useWorkbench();
const work = scratchDir('localds-trust-');

/** A copy of a fixture folder under a new name (the name is the run id of a folder without run.json). */
function copyFixture(fixture: string, name: string, change?: (dir: string) => void): string {
  const dir = join(work, name);
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  change?.(dir);
  return dir;
}

const editJson = (file: string, edit: (json: Record<string, unknown>) => void) => {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(file, JSON.stringify(json));
};

/** Imports a folder with the import form's scenario and model name; returns the outcome line. */
async function importAs(
  page: Page,
  dir: string,
  { scenario, model }: { scenario: string; model: string },
): Promise<string> {
  await page.goto(`${wb.url}#/import`);
  await page.getByLabel('Oracle scenario').selectOption(scenario);
  await page.getByLabel('Model name (optional)').fill(model);
  await page.getByTestId('import-folder').setInputFiles(dir);
  // The form keeps the previous import's outcome until this one's arrives: wait for this folder's.
  const outcome = page.locator('.outcomes li', { hasText: `${basename(dir)}:` });
  await outcome.waitFor();
  return outcome.innerText();
}

/** The leaderboard tables on the home page: caption → [model, trials] rows. */
async function leaderboardOnHome(page: Page): Promise<Record<string, string[][]>> {
  await page.goto(wb.url);
  await page.locator('table.leaderboard').first().waitFor();
  return page.$$eval('table.leaderboard', (tables) =>
    Object.fromEntries(
      tables.map((t) => [
        t.querySelector('caption')?.textContent ?? '',
        Array.from(t.querySelectorAll('tbody tr')).map((tr) =>
          Array.from(tr.querySelectorAll('th, td'))
            .slice(0, 2)
            .map((c) => c.textContent?.trim() ?? ''),
        ),
      ]),
    ),
  );
}

describe('scores a data scientist can trust (page)', { timeout: 60_000 }, () => {
  it('pools trials only within one scenario: leaderboard and compare view', async () => {
    const context = await wb.browser.newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    // The same model's folder imported as three runs: two on canonical, one on large-paginated.
    // Its reported p-value is tiny, which the compare view must not print as 0.
    const tinyP = (dir: string) =>
      editJson(join(dir, 'summary.json'), (s) => {
        (s.raw_stats as Record<string, unknown>).p_value = 1.09e-23;
      });
    const ids = ['run-canonical-a', 'run-canonical-b', 'run-large-paginated'];
    await importAs(page, copyFixture('correct', ids[0]!, tinyP), {
      scenario: 'canonical',
      model: 'pooled-model',
    });
    await importAs(page, copyFixture('correct', ids[1]!), {
      scenario: 'canonical',
      model: 'pooled-model',
    });
    await importAs(page, copyFixture('correct', ids[2]!), {
      scenario: 'large-paginated',
      model: 'pooled-model',
    });

    const board = await leaderboardOnHome(page);
    const groups = Object.entries(board);
    expect(groups).toHaveLength(2);
    const canonical = groups.find(([caption]) => caption.includes(' · canonical · '))!;
    const large = groups.find(([caption]) => caption.includes(' · large-paginated · '))!;
    expect(canonical[1]).toEqual([['pooled-model', '2']]);
    expect(large[1]).toEqual([['pooled-model', '1']]);
    expect(canonical[0]).toMatch(/compat mode · fenced protocol · full packages · scorer 0\.2\.0/);

    await page.goto(`${wb.url}#/history`);
    await page.locator('table.runs tbody tr').first().waitFor();
    await expect(page.locator('table.runs tbody tr').count()).resolves.toBe(3);
    await expect(
      page
        .locator('table.runs tbody tr', { hasText: ids[2]! })
        .locator('[data-field=scenario]')
        .innerText(),
    ).resolves.toContain('large-paginated');
    // Compare one canonical run with the large-paginated one: shown side by side, not pooled.
    for (const id of [ids[0]!, ids[2]!]) {
      await page
        .locator('table.runs tbody tr', { hasText: id })
        .locator('input[type=checkbox]')
        .check();
    }
    await page.getByRole('button', { name: 'Compare selected' }).click();
    await page.getByRole('heading', { name: 'Compare runs' }).waitFor();
    await page.getByTestId('not-comparable').waitFor();
    // One group per scenario, one trial each: never pooled.
    const statsGroups = page.locator('section.stats-group');
    await expect(statsGroups.count()).resolves.toBe(2);
    await expect(statsGroups.locator('td[data-stat="n"]').allInnerTexts()).resolves.toEqual([
      '1',
      '1',
    ]);
    // Each run says its scenario and seed, and its id as written (not in the header's capitals).
    const scenarios = await page.getByTestId('run-scenario').allInnerTexts();
    expect(scenarios).toEqual([
      'scenario canonical, seed not recorded',
      'scenario large-paginated, seed not recorded',
    ]);
    await expect(page.locator('table.compare .run-id').allInnerTexts()).resolves.toEqual([
      ids[0],
      ids[2],
    ]);
    await expect(
      page.locator('table.compare td[data-field=p_value]').first().innerText(),
    ).resolves.toMatch(/^1\.09e-23 \(oracle 0\.0005892\)$/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('warns when a folder without run.json printed another row count than the scenario has', async () => {
    const context = await wb.browser.newContext();
    const page = await context.newPage();
    /** The correct folder whose first code cell printed `Loaded <rows> rows`. */
    const printing = (rows: number) =>
      copyFixture('correct', `printed-${rows}`, (d) =>
        editJson(join(d, 'analysis.ipynb'), (nb) => {
          const code = (nb.cells as { cell_type: string; outputs?: unknown[] }[]).find(
            (c) => c.cell_type === 'code',
          )!;
          code.outputs = [
            { output_type: 'stream', name: 'stdout', text: [`Loaded ${rows} rows\n`] },
          ];
        }),
      );
    const dir = printing(792);
    await importAs(page, dir, { scenario: 'canonical', model: 'm' });
    await expect(page.getByTestId('import-warning').innerText()).resolves.toBe(
      "The notebook reports 792 rows, but scenario canonical's data has 844 rows: this folder has no run.json with its own data, so it was scored against scenario canonical's oracle, which may not be the data it analysed.",
    );
    // The same folder printing the scenario's own count gives no warning.
    await importAs(page, printing(844), { scenario: 'canonical', model: 'm' });
    await expect(page.getByTestId('import-warning').count()).resolves.toBe(0);
    await context.close();
  });

  it('shows an environment failure as such and keeps it out of the leaderboard', async () => {
    const context = await wb.browser.newContext();
    const page = await context.newPage();
    const detail = 'the benchmark packages could not be loaded from https://cdn.invalid/pyodide/';
    const dir = copyFixture('full-correct', 'env-failure', (d) =>
      editJson(join(d, 'run.json'), (run) => {
        run.run_id = 'env-failure-1';
        run.end_reason = 'environment_error';
        run.end_detail = detail;
      }),
    );
    await importAs(page, dir, { scenario: 'canonical', model: 'env-model' });
    await page.locator('.outcomes a').first().click();
    await expect(page.getByTestId('environment-notice').innerText()).resolves.toContain(detail);
    await page.goto(wb.url);
    await expect(page.getByTestId('environment-runs').innerText()).resolves.toMatch(
      /^1 run\(s\) ended on an environment or harness failure/,
    );
    await expect(page.locator('table.leaderboard').count()).resolves.toBe(0);
    await page.goto(`${wb.url}#/history`);
    await expect(
      page.locator('table.runs tbody tr').first().getByTestId('environment-error').innerText(),
    ).resolves.toBe('environment error');
    await context.close();
  });

  it('copies a result link with the Copy button', async () => {
    const context = await wb.browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(wb.url).origin,
    });
    const page = await context.newPage();
    await importAs(page, join(FIXTURES, 'correct'), { scenario: 'canonical', model: 'm' });
    await page.locator('.outcomes a').first().click();
    await page.getByRole('button', { name: 'Make a result link' }).click();
    const link = await page.getByTestId('result-link').inputValue();
    await page.getByRole('button', { name: 'Copy' }).click();
    // The clipboard answers asynchronously: wait for the status to say so.
    await page
      .getByTestId('result-link-copied')
      .filter({ hasText: /^Copied$/ })
      .waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(link);
    await context.close();
  });

  it('upgrades a store written by the previous page (records of schema 1) in place', async () => {
    const context = await wb.browser.newContext();
    const page = await context.newPage();
    const origin = new URL(wb.url).origin;
    // Same origin, outside the app (the test server answers 404): the app has not opened its store.
    await page.goto(`${origin}/not-the-app`);
    const runJson = JSON.parse(
      readFileSync(join(FIXTURES, 'full-correct/run.json'), 'utf8'),
    ) as Record<string, unknown>;
    runJson.environment = { packages: 'stdlib-only', loaded: [] };
    runJson.end_reason = 'sandbox_error';
    runJson.end_detail = 'the sandbox did not start';
    const card = JSON.parse(
      readFileSync(join(FIXTURES, '../scorecards/scorer-0.1.0-full.json'), 'utf8'),
    ) as unknown;
    await page.evaluate(
      ({ runJsonText, scorecard }) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('localds', 1);
          open.onupgradeneeded = () => {
            const store = open.result.createObjectStore('runs', { keyPath: 'id' });
            store.createIndex('createdAt', 'createdAt');
          };
          open.onsuccess = () => {
            const tx = open.result.transaction('runs', 'readwrite');
            const figures = { status: 'significant', recommended_variant: 'A', raw_stats: {} };
            // A record exactly as schema 1 stored it.
            tx.objectStore('runs').put({
              schema: 1,
              id: 'old-record',
              runId: 'old-run',
              createdAt: '2026-11-24T03:00:00.000Z',
              origin: 'import',
              state: 'complete',
              benchmark: { id: 'ab-test-analysis', version: '1.0.0' },
              model: { name: 'old-model', provider: 'imported', slug: 'old-model' },
              scripted: false,
              scenario: 'canonical',
              seed: 119005,
              sampling: null,
              oracleSource: { kind: 'snapshot' },
              files: { 'run.json': new TextEncoder().encode(runJsonText) },
              scorecard,
              reported: figures,
              oracle: figures,
            });
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
          open.onerror = () => reject(open.error);
        }),
      { runJsonText: JSON.stringify(runJson), scorecard: card },
    );
    await page.goto(`${wb.url}#/history`);
    const row = page.locator('table.runs tbody tr', { hasText: 'old-run' });
    await row.waitFor();
    // Read from the record's own run.json by the upgrade: its end, its environment.
    await expect(row.getByTestId('environment-error').innerText()).resolves.toBe(
      'environment error',
    );
    await expect(row.locator('[data-field=score]').innerText()).resolves.toBe(
      '100 of 100 judged (100%)',
    );
    const stored = await page.evaluate(
      () =>
        new Promise<{ version: number; record: Record<string, unknown> }>((resolve, reject) => {
          const open = indexedDB.open('localds');
          open.onsuccess = () => {
            const get = open.result.transaction('runs').objectStore('runs').get('old-record');
            get.onsuccess = () => {
              resolve({
                version: open.result.version,
                record: get.result as Record<string, unknown>,
              });
              open.result.close();
            };
            get.onerror = () => reject(get.error);
          };
          open.onerror = () => reject(open.error);
        }),
    );
    // The database is at version 4 (v4 added the visual runs and votes stores); the record at schema 3.
    expect(stored.version).toBe(4);
    expect(stored.record).toMatchObject({
      schema: 3,
      endReason: 'sandbox_error',
      endDetail: 'the sandbox did not start',
      protocol: 'fenced',
      environment: { packages: 'stdlib-only', loaded: [] },
      dataSource: 'scenario',
    });
    await context.close();
  });
});
