// `localds report` opened the way a user opens it: a file in Chromium, no server. Nothing may be
// requested but the file itself, nothing may be logged as an error, and the numbers a reader sees
// must be the statistics module's for the same runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RunJsonSchema } from '@localds/scorer';
import { scoreStats, scoreTrialOfRunJson } from '@localds/scorer/score-stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { syntheticGrid, writeSyntheticRuns } from '../fixtures/synthetic-runs.mjs';
import { localds } from '../integration/helpers/stack.js';
import { launch, scratchDir } from './helpers/workbench.js';

const dir = scratchDir('localds-report-browser-');
const dirs = writeSyntheticRuns(join(dir, 'runs'), [
  ...syntheticGrid({ models: ['alpha', 'beta', 'gamma'], seeds: 2, trials: 3 }),
  { model: 'beta', seed: 9, trialIndex: 1 }, // no partner
  { model: 'alpha', seed: 3, trialIndex: 1, endReason: 'sandbox_error' },
]);
const stats = scoreStats(
  dirs.map((d) =>
    scoreTrialOfRunJson(RunJsonSchema.parse(JSON.parse(readFileSync(join(d, 'run.json'), 'utf8')))),
  ),
);
const out = join(dir, 'report.html');

const score = (x: number | null) => (x === null ? '—' : x.toFixed(1));
const interval = (i: { low: number | null; high: number | null }) =>
  i.low === null || i.high === null ? 'n too small' : `${score(i.low)} – ${score(i.high)}`;
const pValue = (p: number) => (p < 0.001 ? p.toExponential(2) : p.toFixed(3));

let browser: Browser;
let page: Page;
const requests: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  const cli = await localds(['report', join(dir, 'runs'), '--out', out]);
  if (cli.code !== 0) throw new Error(`localds report failed: ${cli.stderr}`);
  browser = await launch();
  page = await browser.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(pathToFileURL(out).href);
  await page.waitForLoadState('load');
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

describe('the report in Chromium from file://', () => {
  it('requests nothing but itself and logs no error', () => {
    expect(requests).toEqual([pathToFileURL(out).href]);
    expect(errors).toEqual([]);
  });

  it("shows each model's mean, interval, spread and pass^k as the statistics module computes them", async () => {
    expect(stats.groups).toHaveLength(1);
    const group = stats.groups[0]!;
    const section = page.locator(`section.group[data-group="${group.key}"]`);
    for (const m of group.models) {
      const row = section.locator(`table.leaderboard tr[data-model="${m.model}"]`);
      const cell = (stat: string) => row.locator(`td[data-stat="${stat}"]`).textContent();
      expect(await cell('n')).toBe(String(m.n));
      expect(await cell('mean')).toBe(score(m.mean));
      expect(await cell('interval')).toBe(interval(m.interval));
      expect(await cell('sd')).toBe(score(m.sd));
      expect(await cell('perfect')).toBe(`${m.perfect} of ${m.n}`);
      for (const { k, value } of m.passK.slice(0, 5))
        expect(await cell(`pass^${k}`)).toBe(value.toFixed(3));
    }
    await expect(section.locator('text=1 environment or harness failure(s)').count()).resolves.toBe(
      1,
    );
  });

  it('shows every paired comparison with its difference, interval, Wilcoxon and McNemar', async () => {
    const group = stats.groups[0]!;
    expect(group.comparisons).toHaveLength(3);
    for (const c of group.comparisons) {
      const block = page.locator(`section.comparison[data-a="${c.a}"][data-b="${c.b}"]`);
      const stat = (name: string) => block.locator(`[data-stat="${name}"]`).first().textContent();
      expect(await stat('pairs')).toBe(String(c.pairs.length));
      expect(await stat('mean-diff')).toBe(score(c.meanDiff));
      expect(await stat('diff-interval')).toBe(interval(c.interval));
      expect(await stat('wilcoxon')).toContain(`p = ${pValue(c.wilcoxon.p!)}`);
      for (const check of c.checks) {
        const p = await block
          .locator(`tr[data-check="${check.id}"] td[data-stat="p"]`)
          .textContent();
        expect(p).toBe(pValue(check.p));
      }
    }
    // The beta trial without a partner is listed with alpha–beta and beta–gamma, never paired.
    const betaAlpha = group.comparisons.find((c) => c.b === 'beta' || c.a === 'beta')!;
    expect(betaAlpha.unpaired.map((u) => u.reason)).toContain('no partner');
  });

  it('draws the pictures as inline SVG and shows every run with its thumbnails', async () => {
    // One distribution, one heatmap and one paired-differences picture per comparison.
    expect(await page.locator('figure > svg').count()).toBe(2 + 3);
    expect(await page.locator('details.run').count()).toBe(dirs.length);
    const images = page.locator('details.run img');
    expect(await images.count()).toBe(dirs.length * 3);
    // Thumbnails decode (a broken data URL has naturalWidth 0).
    const widths = await images.evaluateAll((els) =>
      els.map((el) => (el as unknown as { naturalWidth: number }).naturalWidth),
    );
    expect(widths.every((w) => w > 0)).toBe(true);
  });
});
