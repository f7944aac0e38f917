/// <reference lib="dom" />
// The scripted demo against the local Supabase-compatible stack: the page reads the table with
// supabase-js (paginated), freezes it into the run's snapshot and scores the run on it. Model code
// reads the live project from the sandbox worker, and each answer is compared with the snapshot.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localds, type StartedStack } from '../integration/helpers/stack.js';
import {
  scorecardFromCli,
  scorecardOnPage,
  scratchDir,
  startWorkbench,
  unzipRunFolder,
  type Workbench,
} from './helpers/workbench.js';

const SCENARIO = 'large-paginated';
const env = {
  LOCALDS_SUPABASE_ROOT: join(tmpdir(), `localds-web-stack-${randomBytes(4).toString('hex')}`),
};
const work = scratchDir('localds-run-supabase-');
let wb: Workbench;
let stack: StartedStack;

beforeAll(async () => {
  const started = await localds(['supabase', 'start', '--json', '--scenario', SCENARIO], env);
  if (started.code !== 0) throw new Error(`supabase start failed:\n${started.stderr}`);
  stack = JSON.parse(started.stdout) as StartedStack;
  wb = await startWorkbench();
}, 180_000);
afterAll(async () => {
  await wb?.close();
  await localds(['supabase', 'stop', '--all'], env);
  rmSync(env.LOCALDS_SUPABASE_ROOT, { recursive: true, force: true });
}, 60_000);

describe('the scripted demo against the local Supabase stack', { timeout: 300_000 }, () => {
  it('reads every row past the 1000-row cap and scores as `localds score --mode full` does', async () => {
    const page = await wb.context.newPage();
    await page.goto(`${wb.url}#/benchmarks/ab-test-analysis`);
    // The benchmark page previews the stack's table with supabase-js (loopback: no consent asked).
    await page.getByText('Preview a Supabase table instead').click();
    await page.getByLabel('Project URL (preview)').fill(stack.url);
    await page.getByLabel('Anon key (preview)').fill(stack.anonKey);
    await page.getByRole('button', { name: 'Preview posthog_events' }).click();
    await expect(page.getByTestId('supabase-preview-count').innerText()).resolves.toContain(
      '4653 rows',
    );
    await page.getByLabel('Scripted demo (a replay, not a model)').check();
    await page.getByLabel('Supabase project').check();
    await page.getByLabel('Supabase project URL').fill(stack.url);
    await page.getByLabel('Anon key', { exact: true }).fill(stack.anonKey);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('.live-run').waitFor();
    await page.locator('[data-check-id]').first().waitFor({ timeout: 240_000 });
    const shown = await scorecardOnPage(page);
    expect(shown['data_access']?.detail).toContain('4653 rows');
    // Every judged check passes; the demo draws no matplotlib figure, so its labels are not judged.
    expect(Object.values(shown).every((c) => c.pass || !c.judged)).toBe(true);
    expect(shown.charts_labeled).toMatchObject({ judged: false, earned: 0 });
    // The stack's key is nowhere on the page.
    expect(await page.content()).not.toContain(stack.anonKey);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download run folder (.zip)' }).click();
    const zip = join(work, 'run.zip');
    await (await download).saveAs(zip);
    const folder = unzipRunFolder(zip, work);
    const run = JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as {
      data: { live?: boolean; table_url: string };
      trace: { requests: { url: string; status: number; drift?: string | null }[] };
      scorecard: { notes: string[] };
    };
    // Model code reached the stack itself, and the stack did not change under the run.
    expect(run.data.live).toBe(true);
    const toStack = run.trace.requests.filter((r) => r.url.startsWith(stack.url));
    expect(toStack.length).toBeGreaterThanOrEqual(5); // 4653 rows are five pages
    expect(toStack.map((r) => r.drift)).toEqual(toStack.map(() => null));
    // The page lists them, each with its comparison against the snapshot.
    const listed = page.getByTestId('run-requests');
    await expect(listed.locator('thead').innerText()).resolves.toMatch(/live vs snapshot/i);
    const liveColumn = await listed.locator('tbody tr td:last-child').allInnerTexts();
    expect(liveColumn.filter((t) => t === 'same')).toHaveLength(toStack.length);
    expect(run.scorecard.notes).toContain(
      `live data: ${toStack.length} requests answered by the live project, none differing from the snapshot`,
    );
    for (const name of readdirSync(folder, { recursive: true })) {
      const path = join(folder, String(name));
      if (String(name).includes('.'))
        expect(readFileSync(path, 'utf8')).not.toContain(stack.anonKey);
    }
    expect(shown).toEqual(await scorecardFromCli(folder, { mode: 'full', scenario: SCENARIO }));
    await page.close();
  });

  it('asks before previewing a table on a server off this machine, and sends nothing until then', async () => {
    const page = await wb.context.newPage();
    const hosts: string[] = [];
    page.on('request', (r) => hosts.push(new URL(r.url()).hostname));
    await page.goto(`${wb.url}#/benchmarks/ab-test-analysis`);
    await page.getByText('Preview a Supabase table instead').click();
    await page.getByLabel('Project URL (preview)').fill('https://abcdefgh.supabase.co');
    await page.getByLabel('Anon key (preview)').fill('not-a-real-key');
    await page.getByRole('button', { name: 'Allow requests to abcdefgh.supabase.co' }).waitFor();
    await expect(
      page.getByRole('button', { name: 'Preview posthog_events' }).count(),
    ).resolves.toBe(0);
    expect(hosts.filter((h) => h !== '127.0.0.1')).toEqual([]);
    await page.close();
  });
});
