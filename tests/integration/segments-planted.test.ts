import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadPyodide, type PyodideAPI } from 'pyodide';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkAnomalySummary,
  checkLaunchSummary,
  computeAnomalyOracle,
  computeLaunchOracle,
  anomalyDiagnostics,
  generateAnomalyDataset,
  generateLaunchDataset,
  launchDiagnostics,
} from '@localds/benchmarks';
import { REPO_ROOT } from './helpers/stack.js';
import { serveRows } from './helpers/segment-endpoint.js';

/**
 * One planted-mistake replay per diagnostic of #13's benchmarks (fixtures/planted/*.json, made by each
 * benchmark's scripts/make-replays.py from its correct stdlib replay by one text substitution), run in
 * Pyodide in Node: each loses the checks its mistake touches and gets its diagnostic id, and no other.
 */
const cellsOf = (file: string): string[] =>
  (
    JSON.parse(readFileSync(resolve(REPO_ROOT, file), 'utf8')) as { responses: string[] }
  ).responses.map((r) => /```python\n([\s\S]*?)```/.exec(r)![1]!);

let pyodide: PyodideAPI;
beforeAll(async () => {
  pyodide = await loadPyodide();
  pyodide.setStdout({ batched: () => undefined });
  pyodide.setStderr({ batched: () => undefined });
}, 120_000);

async function run(file: string, rows: readonly Record<string, unknown>[], dir: string) {
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
    for (const code of cellsOf(file)) await pyodide.runPythonAsync(code);
  } finally {
    await table.close();
  }
  const text = (name: string) =>
    new TextDecoder().decode(pyodide.FS.readFile(`${dir}/${name}`) as Uint8Array);
  return { summary: JSON.parse(text('summary.json')) as unknown, text };
}

const LAUNCH: [string, string[]][] = [
  ['pooled_only', ['decision']],
  ['unweighted_mean_of_strata', ['mh_ci', 'mh_odds_ratio']],
  ['continuity_corrected', ['cmh_p_value', 'pooled_test']],
  [
    'launch_boundary_by_date',
    ['cmh_p_value', 'mh_ci', 'mh_odds_ratio', 'pooled_rates', 'pooled_test', 'segment_rates'],
  ],
  [
    // Session-level counts move every figure, the decision, and so the figures the decision cites.
    'session_level_rate',
    [
      'cmh_p_value',
      'decision',
      'decision_grounded',
      'mh_ci',
      'mh_odds_ratio',
      'pooled_rates',
      'pooled_test',
      'segment_rates',
    ],
  ],
  ['rates_as_percent', ['pooled_rates', 'segment_rates']],
  [
    'first_page_only',
    [
      'cmh_p_value',
      'decision',
      'decision_grounded',
      'mh_ci',
      'mh_odds_ratio',
      'pooled_rates',
      'pooled_test',
      'segment_rates',
    ],
  ],
];

describe('launch-segments planted-mistake replays on canonical', () => {
  const rows = generateLaunchDataset('canonical');
  const oracle = computeLaunchOracle(rows);
  it.each(LAUNCH)(
    '%s',
    async (mistake, lost) => {
      const { summary } = await run(
        `packages/benchmarks/src/launch-segments/fixtures/planted/${mistake}.json`,
        rows,
        `/work/l-${mistake}`,
      );
      const failing = Object.entries(checkLaunchSummary(summary, oracle).outcomes)
        .filter(([, o]) => !o.pass)
        .map(([id]) => id)
        .sort();
      expect(failing).toEqual(lost);
      expect([...new Set(launchDiagnostics({ rows, oracle, summary }).map((d) => d.id))]).toEqual([
        mistake,
      ]);
    },
    60_000,
  );
});

const ANOMALY: [string, string, string[]][] = [
  ['global_zscore', 'weekend-trap', ['counts_baselines', 'days_evaluated', 'flagged_days']],
  [
    'bots_included',
    'canonical',
    ['bots', 'counts_baselines', 'days_evaluated', 'flagged_days', 'usable_rows'],
  ],
  ['all_events_counted', 'canonical', ['counts_baselines', 'usable_rows']],
  ['previous_day_baseline', 'canonical', ['counts_baselines', 'days_evaluated', 'flagged_days']],
  ['mean_baseline', 'canonical', ['counts_baselines']],
  ['first_page_only', 'canonical', ['bots', 'days_evaluated', 'flagged_days', 'usable_rows']],
];

describe('anomaly-days planted-mistake replays', () => {
  it.each(ANOMALY)(
    '%s on %s',
    async (mistake, scenario, lost) => {
      const rows = generateAnomalyDataset(scenario);
      const oracle = computeAnomalyOracle(rows);
      const out = await run(
        `packages/benchmarks/src/anomaly-days/fixtures/planted/${mistake}.json`,
        rows,
        `/work/a-${mistake}`,
      );
      const outcomes = checkAnomalySummary(out.summary, out.text('anomalies.csv'), oracle).outcomes;
      const failing = Object.entries(outcomes)
        .filter(([, o]) => !o.pass && o.judged !== false)
        .map(([id]) => id)
        .sort();
      expect(failing).toEqual(lost);
      expect([
        ...new Set(anomalyDiagnostics({ rows, oracle, summary: out.summary }).map((d) => d.id)),
      ]).toEqual([mistake]);
    },
    60_000,
  );
});
