import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ANOMALY_SCENARIO_NAMES,
  AnomalySummarySchema,
  computeAnomalyOracle,
  generateAnomalyDataset,
} from '@localds/benchmarks';
import { REPO_ROOT } from './helpers/stack.js';
import { runReferenceScript, serveRows } from './helpers/segment-endpoint.js';

/**
 * The anomaly-days reference solution for real: Debian's python3 (pandas, matplotlib) pages through
 * every scenario's rows served by the embedded PostgREST endpoint; its summary.json and anomalies.csv
 * must equal the oracle (dates, counts, bots exactly; baselines and ratios at 1e-9).
 */
const SCRIPT = resolve(REPO_ROOT, 'packages/benchmarks/src/anomaly-days/reference/anomaly_days.py');
const works: string[] = [];
afterAll(async () => {
  await Promise.all(works.map((w) => rm(w, { recursive: true, force: true })));
});

const close = (a: number | null, e: number | null) =>
  a === null || e === null ? a === e : Math.abs(a - e) <= 1e-9 * Math.abs(e) + 1e-12;

describe.each(ANOMALY_SCENARIO_NAMES)('anomaly-days reference solution on %s', (scenario) => {
  it('writes a summary and anomalies.csv equal to the oracle, and the chart', async () => {
    const rows = generateAnomalyDataset(scenario);
    const oracle = computeAnomalyOracle(rows);
    const work = await mkdtemp(join(tmpdir(), `anomaly-ref-${scenario}-`));
    works.push(work);
    const table = await serveRows(rows);
    try {
      await runReferenceScript(SCRIPT, work, table);
    } finally {
      await table.close();
    }
    const summary = AnomalySummarySchema.parse(
      JSON.parse(readFileSync(join(work, 'summary.json'), 'utf8')),
    );
    expect(summary.bot_ids).toEqual(oracle.bot_ids);
    expect(summary.raw_stats).toEqual(oracle.raw_stats);
    expect(summary.anomalies.map((a) => [a.date, a.count, a.type])).toEqual(
      oracle.anomalies.map((a) => [a.date, a.count, a.type]),
    );
    summary.anomalies.forEach((a, i) => {
      expect(close(a.baseline, oracle.anomalies[i]!.baseline)).toBe(true);
      expect(close(a.ratio, oracle.anomalies[i]!.ratio)).toBe(true);
    });
    const csv = readFileSync(join(work, 'anomalies.csv'), 'utf8').trim().split(/\r?\n/);
    expect(csv[0]).toBe('date,count,baseline,ratio,type');
    expect(csv.slice(1).map((line) => line.split(',')[0])).toEqual(
      oracle.anomalies.map((a) => a.date),
    );
    expect(existsSync(join(work, 'chart-daily-counts.png'))).toBe(true);
    expect(
      readFileSync(join(work, 'chart-daily-counts.png')).subarray(1, 4).toString('latin1'),
    ).toBe('PNG');
  }, 180_000);
});
