import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cohortTableCheck,
  d1d14RetentionCheck,
  d7EligibleCheck,
  d7IntervalCheck,
  d7PValueCheck,
  d7RetentionCheck,
  decisionCheck,
  readRetentionSummary,
  srmCheck,
} from '../checks.js';
import { RETENTION_DIAGNOSTIC_IDS, retentionDiagnostics } from '../diagnostics.js';
import { generateRetentionDataset } from '../generator.js';
import { computeRetentionOracle } from '../oracle.js';
import { RETENTION_SCENARIO_NAMES, type RetentionScenarioName } from '../scenarios.js';

/**
 * The replays' Python logic in CPython (Debian's python3, standard library only), with pyfetch served
 * from the scenario's rows by scripts/run_replay_cells.py: the stdlib replay must meet every check the
 * files alone can judge on every scenario, and each planted replay must be named by exactly its
 * diagnostic. (In Pyodide, the same replays run through `localds run`: the integration tests.)
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const RUNNER = here('../scripts/run_replay_cells.py');
const work = mkdtempSync(join(tmpdir(), 'retention-replays-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runReplay(replay: string, scenario: RetentionScenarioName, name: string) {
  const rows = generateRetentionDataset(scenario);
  const rowsFile = join(work, `${scenario}.json`);
  writeFileSync(rowsFile, JSON.stringify(rows));
  const out = join(work, `${scenario}-${name}`);
  execFileSync('/usr/bin/python3', [RUNNER, '--replay', replay, '--rows', rowsFile, '--out', out], {
    stdio: 'pipe',
  });
  const oracle = computeRetentionOracle(rows);
  const summary = readRetentionSummary(readFileSync(join(out, 'summary.json'), 'utf8'));
  const checks = {
    summary_valid: summary.outcome,
    d7_eligible: d7EligibleCheck(summary.raw, oracle),
    d7_retention: d7RetentionCheck(summary.raw, oracle),
    d1_d14_retention: d1d14RetentionCheck(summary.raw, oracle),
    d7_p_value: d7PValueCheck(summary.raw, oracle),
    d7_interval: d7IntervalCheck(summary.raw, oracle),
    srm: srmCheck(summary.raw, oracle),
    cohort_table: cohortTableCheck(readFileSync(join(out, 'cohort-table.csv'), 'utf8'), oracle),
    decision: decisionCheck(summary.data, oracle),
  };
  const failed = Object.entries(checks)
    .filter(([, c]) => !c.pass)
    .map(([id]) => id);
  const diagnostics = [
    ...new Set(retentionDiagnostics(summary.raw, rows, oracle).map((d) => d.id)),
  ];
  return { failed, diagnostics, checks };
}

describe('stdlib replay in CPython', () => {
  it.each(RETENTION_SCENARIO_NAMES)(
    '%s: every file-judged check passes, no diagnostic',
    (scenario) => {
      const result = runReplay(here('../fixtures/stdlib-replay.json'), scenario, 'stdlib');
      expect(result.failed, JSON.stringify(result.checks, null, 1)).toEqual([]);
      expect(result.diagnostics).toEqual([]);
    },
  );
});

describe('planted replays on canonical', () => {
  it.each(RETENTION_DIAGNOSTIC_IDS)('%s: named by exactly that diagnostic', (mistake) => {
    const result = runReplay(
      here(`../fixtures/planted-replays/${mistake}.json`),
      'canonical',
      mistake,
    );
    expect(result.diagnostics).toEqual([mistake]);
    expect(result.failed.length).toBeGreaterThan(0);
  });
});

describe('censoring-trap', () => {
  it('counting recent players as churned is named and changes the decision', () => {
    const replay = here('../fixtures/planted-replays/censored_in_denominator.json');
    const result = runReplay(replay, 'censoring-trap', 'censored');
    expect(result.diagnostics).toEqual(['censored_in_denominator']);
    expect(result.failed).toContain('decision');
  });
});
