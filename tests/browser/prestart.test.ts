/// <reference lib="dom" />
// The sandbox pre-started on the benchmark page, in Chromium (#17): Pyodide boots while the user is
// still choosing, Run claims it (no new worker before the first cell) and the run ends and scores
// exactly as one whose sandbox started at Run; leaving the page or changing the plan disposes it, and
// one that could not load its packages fails the run as a cold start does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  judgedOnPage,
  scorecardOnPage,
  scratchDir,
  setSettings,
  unzipRunFolder,
  useWorkbench,
  watchErrors,
  type CheckRow,
} from './helpers/workbench.js';

const wb = useWorkbench();
const work = scratchDir('localds-prestart-');
const BENCHMARK_PAGE = '#/benchmarks/ab-test-analysis';
/** Nothing listens on port 9 (discard) here: the package index cannot be reached. */
const UNREACHABLE = 'http://127.0.0.1:9/pyodide/';

const contexts: BrowserContext[] = [];
/** A context of its own per test: Settings (localStorage) do not leak between them. */
async function freshPage(): Promise<Page> {
  const context = await wb.browser.newContext();
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  return context.newPage();
}
afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
});

/** The page's Python sandbox workers, in the order Chromium started them, and which have ended. */
function watchSandboxWorkers(page: Page) {
  const started: { worker: Worker; closed: boolean }[] = [];
  page.on('worker', (worker) => {
    if (!/sandbox\.worker/.test(worker.url())) return;
    const entry = { worker, closed: false };
    worker.on('close', () => {
      entry.closed = true;
    });
    started.push(entry);
  });
  return { started, running: () => started.filter((w) => !w.closed).length };
}

interface SandboxStart {
  prestarted: boolean;
  bootMs: number | null;
  waitedMs: number;
}

interface DemoRun {
  /** sandbox workers Chromium started between the click on Run and the first cell */
  workersForFirstCell: number;
  /** the live view's Pyodide steps, by name (the first word of each) */
  stages: string[];
  card: Record<string, CheckRow>;
  judged: string;
  facts: string;
  runJson: { end_reason: string; isolation_report: { start?: SandboxStart } };
}

/** Presses Run on the benchmark page (the scripted demo, its default) and reads the finished run. */
async function runDemo(page: Page, workers: ReturnType<typeof watchSandboxWorkers>, name: string) {
  const before = workers.started.length;
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.locator('.live-run .cell-code').first().waitFor({ timeout: 120_000 });
  const workersForFirstCell = workers.started.length - before;
  // Read from the DOM: the steps fold away once the run is past its start.
  const lines = await page.getByTestId('pyodide-stages').locator('li').allTextContents();
  await page.locator('[data-check-id]').first().waitFor({ timeout: 200_000 });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download run folder (.zip)' }).click();
  const zip = join(work, `${name}.zip`);
  await (await download).saveAs(zip);
  const folder = unzipRunFolder(zip, work);
  // The run's own sandbox's steps. The counterfactual's sandbox comes from the same factory and adds
  // its own, opening again with the package line; a fast warm run can get there before the read.
  const steps = lines.map((line) => line.split(/[\s:(]/)[0]!);
  const next = steps.indexOf(steps[0]!, 1);
  return {
    workersForFirstCell,
    stages: next === -1 ? steps : steps.slice(0, next),
    card: await scorecardOnPage(page),
    judged: await judgedOnPage(page),
    facts: await page.locator('main .facts').innerText(),
    runJson: JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as DemoRun['runJson'],
  } satisfies DemoRun;
}

const prestartState = (page: Page, state: string) =>
  page.locator(`[data-testid="sandbox-prestart"][data-state="${state}"]`);

describe('the sandbox pre-started on the benchmark page', { timeout: 300_000 }, () => {
  it('Run claims it: no worker starts before the first cell, and the run ends and scores as a cold one', async () => {
    // Cold: pre-starting turned off in Settings, so the sandbox starts at Run (as before #17).
    const coldPage = await freshPage();
    await setSettings(coldPage, wb.url, { prestart: false });
    const coldWorkers = watchSandboxWorkers(coldPage);
    await coldPage.goto(`${wb.url}${BENCHMARK_PAGE}`);
    await coldPage.getByRole('button', { name: 'Run', exact: true }).waitFor();
    await expect(coldPage.getByTestId('sandbox-prestart').count()).resolves.toBe(0);
    expect(coldWorkers.started).toHaveLength(0);
    const cold = await runDemo(coldPage, coldWorkers, 'cold');

    const page = await freshPage();
    const errors = watchErrors(page);
    const workers = watchSandboxWorkers(page);
    await page.goto(`${wb.url}${BENCHMARK_PAGE}`);
    await prestartState(page, 'ready').waitFor({ timeout: 120_000 });
    expect(workers.started).toHaveLength(1);
    const warm = await runDemo(page, workers, 'warm');

    // The evidence: the cold run started a worker for its first cell; the warm one used the one it had.
    expect(cold.workersForFirstCell).toBe(1);
    expect(warm.workersForFirstCell).toBe(0);
    expect(cold.runJson.isolation_report.start).toMatchObject({ prestarted: false });
    const start = warm.runJson.isolation_report.start!;
    expect(start).toMatchObject({ prestarted: true });
    // Honest about its start: the run waited a fraction of the boot that happened before Run.
    expect(start.bootMs).toBeGreaterThan(0);
    expect(start.waitedMs).toBeLessThan(start.bootMs!);
    expect(warm.facts).toContain(
      `sandbox pre-started before Run (the run waited ${start.waitedMs} ms for it)`,
    );
    expect(cold.facts).not.toContain('pre-started');
    // Its start-up steps are shown as a cold start's, and say it was pre-started.
    expect(cold.stages).toEqual([
      'standard',
      'runtime',
      'filesystem',
      'packages',
      'guards',
      'kernel',
    ]);
    expect(warm.stages).toEqual([...cold.stages, 'pre-started']);
    // Same end, same score.
    expect(warm.runJson.end_reason).toBe(cold.runJson.end_reason);
    expect(warm.card).toEqual(cold.card);
    expect(warm.judged).toBe('95 of 95 judged');
    expect(cold.judged).toBe(warm.judged);
    expect(errors).toEqual([]);
  });

  it('is discarded when the plan changes, and disposed when the page is left without running', async () => {
    const page = await freshPage();
    const workers = watchSandboxWorkers(page);
    await page.goto(`${wb.url}${BENCHMARK_PAGE}`);
    await prestartState(page, 'ready').waitFor({ timeout: 120_000 });
    expect(workers.started).toHaveLength(1);
    // A model's run needs the benchmark's packages (the demo, the standard library only): another plan.
    await page.getByLabel('OpenAI-compatible server').check();
    await expect.poll(() => workers.started.length, { timeout: 30_000 }).toBe(2);
    await expect.poll(() => workers.started[0]!.closed, { timeout: 30_000 }).toBe(true);
    // Another model source with the same needs keeps the one it has.
    await page.getByLabel('WebLLM (in this browser, WebGPU)').check();
    await page.waitForTimeout(500);
    expect(workers.started).toHaveLength(2);
    expect(workers.running()).toBe(1);
    await page.goto(`${wb.url}#/history`);
    await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
    await expect.poll(() => workers.running(), { timeout: 30_000 }).toBe(0);
  });

  it('one that could not load its packages fails the run exactly as a cold start does: nothing recorded', async () => {
    /** Runs a server model (never asked: the run stops at its sandbox) and reads the failure shown. */
    const failedRun = async (prestart: boolean) => {
      const page = await freshPage();
      await setSettings(page, wb.url, { indexUrl: UNREACHABLE, stdlibOnly: false, prestart });
      await page.goto(`${wb.url}${BENCHMARK_PAGE}`);
      await page.getByLabel('OpenAI-compatible server').check();
      await page.getByLabel(/Server URL/).fill('http://127.0.0.1:9/v1');
      await page.getByLabel('Model name').fill('never-asked');
      // Pre-started, it failed before Run was pressed.
      if (prestart) await prestartState(page, 'failed').waitFor({ timeout: 120_000 });
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      const alert = page.locator('.live-run [role="alert"]');
      await alert.waitFor({ timeout: 120_000 });
      const shown = {
        alert: await alert.innerText(),
        phase: await page.getByTestId('live-phase').innerText(),
        stages: await page.getByTestId('pyodide-stages').locator('li').allTextContents(),
      };
      await page.goto(`${wb.url}#/history`);
      // Its context ran nothing else: no record once history is read.
      await page.getByText('No runs in this browser yet.').waitFor();
      return shown;
    };
    const cold = await failedRun(false);
    const warm = await failedRun(true);
    expect(warm).toEqual(cold);
    expect(warm.phase).toBe('Failed');
    expect(warm.alert).toContain('The run did not start');
    expect(warm.alert).toMatch(/could not load Pyodide packages/);
    expect(warm.alert).toContain('Nothing was recorded');
    expect(warm.stages).toEqual([
      `loading packages pandas, scipy, matplotlib, requests from ${UNREACHABLE}`,
      expect.stringMatching(/^failed: .*127\.0\.0\.1:9/),
    ]);
  });
});
