import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cohortTableCheck,
  computeRetentionOracle,
  d1d14RetentionCheck,
  d7EligibleCheck,
  d7IntervalCheck,
  d7PValueCheck,
  d7RetentionCheck,
  decisionCheck,
  generateRetentionDataset,
  parseCohortCsv,
  readRetentionSummary,
  RETENTION_RAW_STAT_FIELDS,
  RETENTION_TABLE,
  retentionDiagnostics,
  srmCheck,
  toSql,
} from '@localds/benchmarks';
import { ScorecardSchema } from '@localds/scorer';
import { debianPython } from './helpers/python.js';
import { REPO_ROOT, type StartedStack, localds } from './helpers/stack.js';

/**
 * The retention-cohorts reference solution, for real: a local Supabase-compatible stack seeded with
 * a scenario's rows (`supabase start --sql`), the pandas notebook executed by Debian's python3 against
 * it, its outputs compared with the TypeScript oracle on the same rows to 1e-9, and the folder scored by
 * `localds score` (compat mode: a folder without run.json has no trace, so the trace checks are not judged).
 */
const RUNNER = resolve(
  REPO_ROOT,
  'packages/benchmarks/src/retention-cohorts/reference/run_reference.py',
);
const env = {
  LOCALDS_SUPABASE_ROOT: join(tmpdir(), `localds-retention-ref-${randomBytes(4).toString('hex')}`),
};
const SETUP_MS = 240_000;

function expectClose(actual: unknown, expected: number | null, field: string): void {
  if (expected === null) {
    expect(actual, field).toBeNull();
    return;
  }
  expect(actual, field).toBeTypeOf('number');
  const tolerance = Math.max(1e-9 * Math.abs(expected), 1e-15);
  expect(
    Math.abs((actual as number) - expected),
    `${field}: notebook ${String(actual)}, oracle ${expected}`,
  ).toBeLessThanOrEqual(tolerance);
}

afterAll(async () => {
  await localds(['supabase', 'stop', '--all'], env);
  await rm(env.LOCALDS_SUPABASE_ROOT, { recursive: true, force: true });
}, 60_000);

// canonical and the one past five pages; every scenario is scored in full mode by retention-runs.test.ts.
describe.each(['canonical', 'large-paginated'] as const)(
  'retention reference solution on %s',
  (scenario) => {
    let work: string;
    let stack: StartedStack | undefined;
    let runDir: string;
    const rows = generateRetentionDataset(scenario);
    const oracle = computeRetentionOracle(rows);

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), `localds-retention-ref-${scenario}-`));
      const sql = join(work, 'seed.sql');
      writeFileSync(
        sql,
        toSql(rows, RETENTION_TABLE, { comment: [`retention-cohorts ${scenario}`] }),
      );
      const supabaseJson = join(work, 'supabase.json');
      const started = await localds(
        ['supabase', 'start', '--json', '--sql', sql, '--supabase-json', supabaseJson],
        env,
      );
      if (started.code !== 0) throw new Error(`supabase start failed:\n${started.stderr}`);
      stack = JSON.parse(started.stdout) as StartedStack;
      runDir = join(work, 'run');
      const ran = await debianPython([RUNNER, '--supabase', supabaseJson, '--out', runDir]);
      if (ran.code !== 0) throw new Error(`the reference runner failed:\n${ran.stderr}`);
    }, SETUP_MS);

    afterAll(async () => {
      if (stack) await localds(['supabase', 'stop', stack.id], env);
      if (work) await rm(work, { recursive: true, force: true });
    }, 60_000);

    it('reports every raw_stats field equal to the oracle to 1e-9, the same decision, and no diagnostic', () => {
      const reading = readRetentionSummary(readFileSync(join(runDir, 'summary.json'), 'utf8'));
      expect(reading.outcome.pass, reading.outcome.detail).toBe(true);
      for (const field of RETENTION_RAW_STAT_FIELDS)
        expectClose(reading.raw[field], oracle[field], field);
      expect(reading.data.status).toBe(oracle.status);
      expect(reading.data.recommended_variant).toBe(oracle.recommended_variant);
      expect(retentionDiagnostics(reading.raw, rows, oracle)).toEqual([]);
    });

    it('writes the cohort table equal to the oracle to 1e-9', () => {
      const text = readFileSync(join(runDir, 'cohort-table.csv'), 'utf8');
      const parsed = parseCohortCsv(text);
      expect(parsed.problem).toBeNull();
      expect(parsed.rows!.map((r) => [r.cohort_monday, r.variant, r.players])).toEqual(
        oracle.cohort_table.map((r) => [r.cohort_monday, r.variant, r.players]),
      );
      parsed.rows!.forEach((r, i) => {
        for (const k of ['d1', 'd7', 'd14'] as const)
          expectClose(r[k], oracle.cohort_table[i]![k], `row ${i} ${k}`);
      });
    });

    it("passes every check the benchmark judges from the run's files", () => {
      const reading = readRetentionSummary(readFileSync(join(runDir, 'summary.json'), 'utf8'));
      const outcomes = {
        d7_eligible: d7EligibleCheck(reading.raw, oracle),
        d7_retention: d7RetentionCheck(reading.raw, oracle),
        d1_d14_retention: d1d14RetentionCheck(reading.raw, oracle),
        d7_p_value: d7PValueCheck(reading.raw, oracle),
        d7_interval: d7IntervalCheck(reading.raw, oracle),
        srm: srmCheck(reading.raw, oracle),
        cohort_table: cohortTableCheck(
          readFileSync(join(runDir, 'cohort-table.csv'), 'utf8'),
          oracle,
        ),
        decision: decisionCheck(reading.data, oracle),
      };
      const failed = Object.entries(outcomes).filter(([, o]) => !o.pass);
      expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    });

    it('earns every judged point with localds score (the trace checks not judged without run.json)', async () => {
      const scored = await localds([
        'score',
        runDir,
        '--benchmark',
        'retention-cohorts',
        '--scenario',
        scenario,
      ]);
      expect(scored.code, scored.stderr).toBe(0);
      const card = ScorecardSchema.parse(JSON.parse(scored.stdout));
      expect(card).toMatchObject({ earned: 80, judged: 80, total: 100, mode: 'compat' });
      expect(card.diagnostics).toEqual([]);
    });

    it('writes both charts as PNGs', () => {
      for (const chart of ['chart-retention-curve.png', 'chart-cohort-heatmap.png']) {
        const bytes = readFileSync(join(runDir, chart));
        expect(bytes.subarray(1, 4).toString('latin1'), chart).toBe('PNG');
        expect(bytes.readUInt32BE(16), `${chart} width`).toBeGreaterThanOrEqual(640);
      }
    });
  },
);
