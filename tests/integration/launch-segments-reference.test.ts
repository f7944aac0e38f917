import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LAUNCH_SCENARIO_NAMES,
  LaunchSummarySchema,
  computeLaunchOracle,
  generateLaunchDataset,
} from '@localds/benchmarks';
import { REPO_ROOT } from './helpers/stack.js';
import { runReferenceScript, serveRows } from './helpers/segment-endpoint.js';

/**
 * The launch-segments reference solution for real: Debian's python3 (pandas, SciPy, statsmodels,
 * matplotlib) pages through every scenario's rows served by the embedded PostgREST endpoint, and its
 * summary.json must equal the TypeScript oracle's figures to 1e-9 and its decision exactly.
 */
const SCRIPT = resolve(
  REPO_ROOT,
  'packages/benchmarks/src/launch-segments/reference/launch_segments.py',
);
const works: string[] = [];
afterAll(async () => {
  await Promise.all(works.map((w) => rm(w, { recursive: true, force: true })));
});

describe.each(LAUNCH_SCENARIO_NAMES)('launch-segments reference solution on %s', (scenario) => {
  it('writes a valid summary equal to the oracle and both charts', async () => {
    const rows = generateLaunchDataset(scenario);
    const oracle = computeLaunchOracle(rows);
    const work = await mkdtemp(join(tmpdir(), `launch-ref-${scenario}-`));
    works.push(work);
    const table = await serveRows(rows);
    try {
      await runReferenceScript(SCRIPT, work, table);
    } finally {
      await table.close();
    }
    const summary = LaunchSummarySchema.parse(
      JSON.parse(readFileSync(join(work, 'summary.json'), 'utf8')),
    );
    expect([summary.status, summary.direction, summary.recommendation]).toEqual([
      oracle.status,
      oracle.direction,
      oracle.recommendation,
    ]);
    for (const [field, expected] of Object.entries(oracle.raw_stats)) {
      const actual = summary.raw_stats[field as keyof typeof summary.raw_stats];
      expect(expected, field).not.toBeNull();
      expect(
        Math.abs(actual! - expected!),
        `${field}: ${actual} vs ${expected}`,
      ).toBeLessThanOrEqual(1e-9 * Math.abs(expected!) + 1e-12);
    }
    for (const chart of ['chart-rates-by-segment.png', 'chart-segment-mix.png']) {
      expect(existsSync(join(work, chart)), chart).toBe(true);
      expect(readFileSync(join(work, chart)).subarray(1, 4).toString('latin1')).toBe('PNG');
    }
  }, 120_000);
});
