// Issue #16's "done when": a sweep of 2 scripted models × 2 scenarios × 3 trials run by the CLI, stopped
// with Ctrl-C and resumed without redoing a finished trial; its `localds report` and the page's
// compare view, for the same run folders imported into the page, show the same numbers (mean, interval,
// spread, pass^k, paired difference and its interval, Wilcoxon p, McNemar p per check) and both draw
// the pictures from the same specs.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RunJsonSchema, type RunJson } from '@localds/scorer';
import { scoreStats, scoreTrialOfRunJson } from '@localds/scorer/score-stats';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { localds } from '../integration/helpers/stack.js';
import {
  REPO_ROOT,
  scratchDir,
  setSettings,
  useWorkbench,
  watchErrors,
} from './helpers/workbench.js';

const wb = useWorkbench();
const dir = scratchDir('localds-verdicts-');
const out = join(dir, 'runs');

// alpha replays the stdlib reference solution; beta the same without its charts (so it loses the
// chart checks): two scripted "models" that differ on some checks and agree on others.
const reference = JSON.parse(
  readFileSync(join(REPO_ROOT, 'tests/fixtures/replays/stdlib-correct.json'), 'utf8'),
) as { responses: string[] };
const withoutCharts = reference.responses.filter((r) => !/^## 5\. Visualizations/.test(r));
writeFileSync(join(dir, 'alpha.json'), JSON.stringify(reference));
writeFileSync(join(dir, 'beta.json'), JSON.stringify({ responses: withoutCharts }));
const GRID = [
  'sweep',
  '--models',
  `replay:${join(dir, 'alpha.json')},replay:${join(dir, 'beta.json')}`,
  '--scenarios',
  'canonical,srm',
  '--trials',
  '3',
  '--stdlib-only',
  '--out',
  out,
];

function runJsons(): { file: string; run: RunJson; mtimeMs: number }[] {
  return readdirSync(out, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('run.json'))
    .map((p) => join(out, p))
    .map((file) => ({
      file,
      run: RunJsonSchema.parse(JSON.parse(readFileSync(file, 'utf8'))),
      mtimeMs: statSync(file).mtimeMs,
    }));
}

/** Starts the sweep and stops it with SIGINT once its first trial has finished. */
async function interruptedSweep(): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'packages/cli/bin/localds.js'), ...GRID], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stderr.resume();
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  await new Promise<void>((ok) =>
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/ -> /.test(stdout)) ok();
    }),
  );
  child.kill('SIGINT');
  return { code: await exited, stdout };
}

/** The numbers of one group as a reader sees them, from the report or the page (same markup). */
async function groupNumbers(group: Locator, modelRow: string): Promise<unknown> {
  const models = await group.locator(modelRow).evaluateAll((rows) =>
    rows.map((row) => ({
      model: row.getAttribute('data-model'),
      stats: Object.fromEntries(
        Array.from(row.querySelectorAll('td[data-stat]')).map((td) => [
          td.getAttribute('data-stat'),
          td.textContent?.trim(),
        ]),
      ),
    })),
  );
  const comparisons = await group.locator('section.comparison').evaluateAll((blocks) =>
    blocks.map((block) => ({
      a: block.getAttribute('data-a'),
      b: block.getAttribute('data-b'),
      ...Object.fromEntries(
        ['pairs', 'mean-diff', 'diff-interval', 'wilcoxon'].map((s) => [
          s,
          block.querySelector(`[data-stat="${s}"]`)?.textContent?.replace(/\s+/g, ' ').trim(),
        ]),
      ),
      mcnemar: Object.fromEntries(
        Array.from(block.querySelectorAll('tr[data-check]')).map((tr) => [
          tr.getAttribute('data-check'),
          tr.querySelector('td[data-stat="p"]')?.textContent?.trim(),
        ]),
      ),
    })),
  );
  return { models, comparisons };
}

describe('a sweep, its report and the page agree', () => {
  it('runs, is interrupted, resumes without redoing finished trials; report = compare view', async () => {
    const stopped = await interruptedSweep();
    expect(stopped.code).toBe(130);
    const before = runJsons().filter((r) => r.run.end_reason === 'done');
    expect(before.length).toBeGreaterThanOrEqual(1);

    const resumed = await localds(GRID);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(
      new RegExp(`12 cell\\(s\\) in the grid; ${before.length} already finished`),
    );
    const after = runJsons();
    // Finished trials are never run again: same files, untouched.
    for (const kept of before) {
      const now = after.find((r) => r.file === kept.file)!;
      expect(now.mtimeMs).toBe(kept.mtimeMs);
    }
    const done = after.filter((r) => r.run.end_reason === 'done');
    expect(done).toHaveLength(12);

    // The statistics module's own reading of the folders: what both views must show.
    const stats = scoreStats(after.map((r) => scoreTrialOfRunJson(r.run)));
    expect(stats.groups).toHaveLength(2);
    for (const group of stats.groups) {
      expect(group.models.map((m) => m.n)).toEqual([3, 3]);
      expect(group.comparisons).toHaveLength(1);
      expect(group.comparisons[0]!.pairs).toHaveLength(3);
      // alpha earns the chart checks beta never attempts: a real difference to report.
      expect(group.comparisons[0]!.meanDiff).toBeGreaterThan(0);
    }

    const reportFile = join(dir, 'report.html');
    const cli = await localds(['report', out, '--out', reportFile]);
    expect(cli.code, cli.stderr).toBe(0);

    const page = await wb.context.newPage();
    const errors = watchErrors(page);
    await setSettings(page, wb.url, { stdlibOnly: true });
    await page.goto(`${wb.url}#/import`);
    await page.getByTestId('import-folder').setInputFiles(out);
    await page.locator('.outcomes').waitFor({ timeout: 300_000 });
    await expect(page.locator('.outcomes li').count()).resolves.toBe(after.length);
    await expect(page.locator('.outcomes li.field-error').allInnerTexts()).resolves.toEqual([]);
    await page.goto(`${wb.url}#/history`);
    await page.locator('table.runs tbody tr').first().waitFor();
    await expect(page.locator('table.runs tbody tr').count()).resolves.toBe(after.length);
    await page.getByRole('button', { name: 'Select all shown' }).click();
    await page.getByRole('button', { name: 'Compare selected' }).click();
    await page.getByRole('heading', { name: 'Verdicts with error bars' }).waitFor();

    const reportPage: Page = await wb.context.newPage();
    await reportPage.goto(pathToFileURL(reportFile).href);
    for (const group of stats.groups) {
      const onPage = page.locator(`section.stats-group[data-group="${group.key}"]`);
      const inReport = reportPage.locator(`section.group[data-group="${group.key}"]`);
      const pageNumbers = await groupNumbers(onPage, 'table.score-stats tr[data-model]');
      const reportNumbers = await groupNumbers(inReport, 'table.leaderboard tr[data-model]');
      expect(pageNumbers).toEqual(reportNumbers);
      // And both are the statistics module's, not merely equal to each other.
      const { models, comparisons } = pageNumbers as {
        models: { model: string; stats: Record<string, string> }[];
        comparisons: { wilcoxon: string; mcnemar: Record<string, string> }[];
      };
      expect(models.map((m) => m.model)).toEqual(group.models.map((m) => m.model));
      expect(models[0]!.stats['pass^3']).toBe(group.models[0]!.passK[2]!.value.toFixed(3));
      expect(comparisons[0]!.wilcoxon).toContain(`p = `);
      expect(Object.keys(comparisons[0]!.mcnemar).sort()).toEqual(
        group.comparisons[0]!.checks.map((c) => c.id).sort(),
      );
      // The pictures: a distribution, a heatmap and the paired differences, drawn as SVG.
      await onPage.locator('figure[data-picture] svg').nth(2).waitFor();
      await expect(onPage.locator('figure[data-picture] svg').count()).resolves.toBe(3);
    }
    // The leaderboard shows the same intervals and pass^k.
    await page.goto(wb.url);
    for (const group of stats.groups) {
      for (const m of group.models) {
        const row = page.locator(
          `table.leaderboard[data-group="${group.key}"] tr[data-model="${m.model}"]`,
        );
        const reportRow = reportPage.locator(
          `section.group[data-group="${group.key}"] table.leaderboard tr[data-model="${m.model}"]`,
        );
        for (const stat of ['interval', 'pass^1', 'pass^3'])
          await expect(row.locator(`td[data-stat="${stat}"]`).textContent()).resolves.toBe(
            await reportRow.locator(`td[data-stat="${stat}"]`).textContent(),
          );
      }
    }
    expect(errors).toEqual([]);
    await page.close();
    await reportPage.close();
  }, 900_000);
});
