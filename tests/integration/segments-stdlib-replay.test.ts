import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadPyodide, type PyodideAPI } from 'pyodide';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ANOMALY_SCENARIO_NAMES,
  AnomalySummarySchema,
  checkAnomalySummary,
  computeAnomalyOracle,
  anomalyDiagnostics,
  generateAnomalyDataset,
  LAUNCH_SCENARIO_NAMES,
  LaunchSummarySchema,
  checkLaunchSummary,
  computeLaunchOracle,
  launchDiagnostics,
  generateLaunchDataset,
} from '@localds/benchmarks';
import { REPO_ROOT } from './helpers/stack.js';
import { serveRows } from './helpers/segment-endpoint.js';

/**
 * The stdlib-only replays of #13's benchmarks, executed cell by cell in Pyodide in Node (no package
 * loaded: the standard library and pyodide.http only) against each scenario's rows served by the
 * embedded PostgREST endpoint. Their summary must equal the oracle (1e-9) and the charts must be PNGs
 * whose tEXt chunks carry a title and axis labels. Scoring the replay through `localds run` waits for
 * the benchmark unit of #11; this tests everything up to it.
 */
const replayCells = (file: string): string[] => {
  const replay = JSON.parse(readFileSync(resolve(REPO_ROOT, file), 'utf8')) as {
    environment: string;
    responses: string[];
  };
  expect(replay.environment).toBe('stdlib-only');
  return replay.responses.map((r) => /```python\n([\s\S]*?)```/.exec(r)![1]!);
};

let pyodide: PyodideAPI;
beforeAll(async () => {
  pyodide = await loadPyodide();
  pyodide.setStdout({ batched: () => undefined });
  pyodide.setStderr({ batched: () => undefined });
}, 120_000);

async function runReplay(cells: string[], rows: readonly Record<string, unknown>[], dir: string) {
  const table = await serveRows(rows);
  try {
    pyodide.FS.mkdirTree(dir);
    pyodide.FS.chdir(dir);
    pyodide.FS.writeFile(
      'supabase.json',
      JSON.stringify({
        url: table.url,
        headers: { apikey: table.apiKey, Authorization: `Bearer ${table.apiKey}` },
      }),
    );
    for (const code of cells) await pyodide.runPythonAsync(code);
  } finally {
    await table.close();
  }
  const read = (file: string) => pyodide.FS.readFile(`${dir}/${file}`) as Uint8Array;
  return { read, text: (file: string) => new TextDecoder().decode(read(file)) };
}

function expectLabelledPng(bytes: Uint8Array): void {
  expect(Buffer.from(bytes.subarray(1, 4)).toString('latin1')).toBe('PNG');
  const latin = Buffer.from(bytes).toString('latin1');
  for (const key of ['Title', 'X-Label', 'Y-Label']) expect(latin).toContain(`tEXt${key}\u0000`);
}

describe.each(LAUNCH_SCENARIO_NAMES)(
  'launch-segments stdlib replay in Pyodide on %s',
  (scenario) => {
    it('computes the oracle’s figures and decision and draws both charts', async () => {
      const cells = replayCells(
        'packages/benchmarks/src/launch-segments/fixtures/stdlib-replay.json',
      );
      const rows = generateLaunchDataset(scenario);
      const oracle = computeLaunchOracle(rows);
      const run = await runReplay(cells, rows, `/work/launch-${scenario}`);
      const summary = LaunchSummarySchema.parse(JSON.parse(run.text('summary.json')));
      expect([summary.status, summary.direction, summary.recommendation]).toEqual([
        oracle.status,
        oracle.direction,
        oracle.recommendation,
      ]);
      for (const [field, expected] of Object.entries(oracle.raw_stats)) {
        const actual = summary.raw_stats[field as keyof typeof summary.raw_stats];
        expect(
          Math.abs(actual! - expected!),
          `${field}: ${actual} vs ${expected}`,
        ).toBeLessThanOrEqual(1e-9 * Math.abs(expected!) + 1e-12);
      }
      const judged = checkLaunchSummary(JSON.parse(run.text('summary.json')), oracle).outcomes;
      expect(Object.entries(judged).filter(([, o]) => !o.pass)).toEqual([]);
      expect(launchDiagnostics({ rows, oracle, summary })).toEqual([]);
      expectLabelledPng(run.read('chart-rates-by-segment.png'));
      expectLabelledPng(run.read('chart-segment-mix.png'));
    }, 120_000);
  },
);

describe.each(ANOMALY_SCENARIO_NAMES)('anomaly-days stdlib replay in Pyodide on %s', (scenario) => {
  it('flags the oracle’s days, finds the bots, writes the CSV and the chart', async () => {
    const cells = replayCells('packages/benchmarks/src/anomaly-days/fixtures/stdlib-replay.json');
    const rows = generateAnomalyDataset(scenario);
    const oracle = computeAnomalyOracle(rows);
    const run = await runReplay(cells, rows, `/work/anomaly-${scenario}`);
    const json = JSON.parse(run.text('summary.json')) as unknown;
    const summary = AnomalySummarySchema.parse(json);
    expect(summary.anomalies).toEqual(oracle.anomalies);
    expect(summary.bot_ids).toEqual(oracle.bot_ids);
    expect(summary.raw_stats).toEqual(oracle.raw_stats);
    const { outcomes } = checkAnomalySummary(json, run.text('anomalies.csv'), oracle);
    expect(Object.entries(outcomes).filter(([, o]) => !o.pass && o.judged !== false)).toEqual([]);
    expect(anomalyDiagnostics({ rows, oracle, summary: json })).toEqual([]);
    expectLabelledPng(run.read('chart-daily-counts.png'));
  }, 180_000);
});
