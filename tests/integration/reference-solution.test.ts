import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_NAMES, type Summary, SummarySchema, generateDataset } from '@localds/benchmarks';
import { ScorecardSchema } from '@localds/scorer';
import { CHECK_IDS, type Oracle, computeOracle, oracleRawStats } from '@localds/benchmarks';
import { DEBIAN_PYTHON, REFERENCE_RUNNER, debianPython, runReference } from './helpers/python.js';
import { type StartedStack, localds } from './helpers/stack.js';

/**
 * The reference solution, for real: a local Supabase-compatible stack seeded with a scenario, the
 * notebook executed by Debian's /usr/bin/python3 (pandas / SciPy / matplotlib) against it, and the
 * run folder scored by `localds score`. Its numbers must agree with our oracle on the same rows.
 */
const env = {
  LOCALDS_SUPABASE_ROOT: join(tmpdir(), `localds-reference-test-${randomBytes(4).toString('hex')}`),
};
const SETUP_MS = 240_000;
const RUN_FILES = [
  'analysis.ipynb',
  'chart-completion-rates.png',
  'chart-distribution.png',
  'chart-treatment-effect.png',
  'metadata.json',
  'summary.json',
];
const PAGE_CAP = 1000;

/** 1e-9 relative or 1e-300 absolute, whichever is looser (the oracle's SciPy parity rule). */
function expectClose(actual: number | undefined, expected: number | null, field: string): void {
  expect(expected, `oracle ${field}`).not.toBeNull();
  expect(actual, `summary ${field}`).toBeTypeOf('number');
  const tolerance = Math.max(1e-9 * Math.abs(expected!), 1e-300);
  expect(
    Math.abs(actual! - expected!),
    `${field}: notebook ${actual}, oracle ${expected}`,
  ).toBeLessThanOrEqual(tolerance);
}

/** A PNG's size from its IHDR chunk; read here, independently of the scorer's own PNG reader. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function metricValue(summary: Summary, label: string): number | string | undefined {
  return summary.metrics?.find((metric) => metric.label === label)?.value;
}

interface NotebookCell {
  cell_type: string;
  source: string | string[];
  execution_count?: number | null;
  outputs?: { output_type: string; data?: Record<string, unknown> }[];
}

afterAll(async () => {
  await localds(['supabase', 'stop', '--all'], env);
  await rm(env.LOCALDS_SUPABASE_ROOT, { recursive: true, force: true });
}, 60_000);

// Every named scenario, so each branch of the decision rule (significant, guardrail flip, SRM,
// not significant) and paging (large-paginated) is exercised against the oracle.
describe.each(SCENARIO_NAMES)('reference solution on %s', (scenario) => {
  let work: string;
  let stack: StartedStack;
  let runDir: string;
  let summary: Summary;
  let oracle: Oracle;
  const rows = generateDataset(scenario);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `localds-reference-${scenario}-`));
    const supabaseJson = join(work, 'supabase.json');
    const started = await localds(
      ['supabase', 'start', '--json', '--scenario', scenario, '--supabase-json', supabaseJson],
      env,
    );
    if (started.code !== 0) throw new Error(`supabase start failed:\n${started.stderr}`);
    stack = JSON.parse(started.stdout) as StartedStack;

    runDir = join(work, 'runs', 'ab-test-analysis', 'reference', 'test-run');
    await runReference(supabaseJson, runDir);
    summary = SummarySchema.parse(JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')));
    oracle = computeOracle(rows);
  }, SETUP_MS);

  afterAll(async () => {
    if (stack) await localds(['supabase', 'stop', stack.id], env);
    if (work) await rm(work, { recursive: true, force: true });
  }, 60_000);

  it('scores 100/100 in compat mode, every check passing', async () => {
    const scored = await localds([
      'score',
      runDir,
      '--mode',
      'compat',
      '--format',
      'json',
      '--scenario',
      scenario,
    ]);
    expect(scored.code, scored.stderr).toBe(0);
    const card = ScorecardSchema.parse(JSON.parse(scored.stdout));
    expect(Object.keys(card.checks).sort()).toEqual([...CHECK_IDS].sort());
    const failed = Object.entries(card.checks).filter(([, check]) => !check.pass);
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(card).toMatchObject({ mode: 'compat', earned: 100, total: 100 });
  }, 60_000);

  it('reports every raw_stats field equal to the oracle to 1e-9 relative, and the same decision', () => {
    const expected = oracleRawStats(oracle);
    for (const field of Object.keys(expected) as (keyof typeof expected)[]) {
      expectClose(summary.raw_stats[field], expected[field], field);
    }
    expect(summary.status).toBe(oracle.status);
    expect(summary.recommended_variant).toBe(oracle.recommended_variant);
  });

  it('reads every row of the table, paging past the 1000-row cap', () => {
    expect(metricValue(summary, 'Events fetched')).toBe(rows.length);
    expect(metricValue(summary, 'Events analysed')).toBe(oracle.rows_used);
    if (scenario === 'large-paginated') expect(rows.length).toBeGreaterThan(PAGE_CAP);
  });

  it("writes the article's run-folder layout with an executed notebook and charts of at least 640×480", () => {
    expect(readdirSync(runDir).sort()).toEqual(RUN_FILES);
    const metadata = JSON.parse(readFileSync(join(runDir, 'metadata.json'), 'utf8')) as {
      kind: string;
      model: { id: string };
      status: string;
    };
    expect(metadata).toMatchObject({
      kind: 'data-science',
      model: { id: 'reference-solution' },
      status: 'completed',
    });

    const notebook = JSON.parse(readFileSync(join(runDir, 'analysis.ipynb'), 'utf8')) as {
      nbformat: number;
      cells: NotebookCell[];
    };
    expect(notebook.nbformat).toBe(4);
    const code = notebook.cells.filter((cell) => cell.cell_type === 'code');
    expect(code.every((cell) => typeof cell.execution_count === 'number')).toBe(true);
    const outputs = code.flatMap((cell) => cell.outputs ?? []);
    expect(outputs.filter((output) => output.output_type === 'error')).toEqual([]);
    const images = outputs.filter((output) => output.data?.['image/png'] !== undefined);
    expect(images).toHaveLength(3);

    for (const chart of RUN_FILES.filter((name) => name.endsWith('.png'))) {
      const { width, height } = pngSize(readFileSync(join(runDir, chart)));
      expect(width, chart).toBeGreaterThanOrEqual(640);
      expect(height, chart).toBeGreaterThanOrEqual(480);
    }
  });

  it('leaves the API key in no file of the run folder', () => {
    const key = Buffer.from(stack.anonKey);
    expect(key.length).toBeGreaterThan(20);
    for (const name of readdirSync(runDir)) {
      expect(readFileSync(join(runDir, name)).includes(key), name).toBe(false);
    }
  });
});

describe('reference runner', () => {
  it('names the interpreter and the Debian packages when the analysis libraries are missing', async () => {
    // -S hides site-packages, so the runner sees an interpreter without pandas, SciPy, matplotlib, …
    const result = await debianPython(['-S', REFERENCE_RUNNER, '--supabase', 'supabase.json']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(DEBIAN_PYTHON);
    for (const name of ['pandas', 'scipy', 'matplotlib', 'requests', 'nbclient']) {
      expect(result.stderr).toContain(`${name} (Debian package python3-${name})`);
    }
  });
});
