import { EventRowSchema } from '../../index.js';
import { abTestScoring } from '../../index.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventRow } from '../../index.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRunFolderFromDisk, readRunFolderFilesFromDisk } from '@localds/scorer/node';
import { CHECK_TABLE, computeOracle, type Oracle } from '../../index.js';
import {
  decodeSnapshotRows,
  readRunFolderFiles,
  scoreRun,
  type Reexecute,
  type ReexecuteRequest,
} from '@localds/scorer';

const RUNS = join(import.meta.dirname, '../../../../scorer/fixtures/runs'); // the scorer's corpus of run folders;
const fixtures = readdirSync(RUNS).filter((d) => existsSync(join(RUNS, d, 'expected-full.json')));

/** A test double for a correct notebook: recomputes every value from the rows it is served. */
const followsTheData: Reexecute = async (request: ReexecuteRequest) => {
  const o = computeOracle(request.rows as EventRow[]);
  const summary = {
    status: o.status,
    recommended_variant: o.recommended_variant,
    raw_stats: {
      p_value: o.p_value,
      cohens_d: o.cohens_d,
      mean_a: o.mean_a,
      mean_b: o.mean_b,
      completion_rate_a: o.completion_rate_a,
      completion_rate_b: o.completion_rate_b,
      srm_p_value: o.srm_p_value,
    },
  };
  return { summaryText: JSON.stringify(summary), files: new Map() };
};

/** A test double for a hard-coded notebook: writes the same summary.json whatever the rows. */
function sameSummary(dir: string): Reexecute {
  const text = readFileSync(join(dir, 'summary.json'), 'utf8');
  return async () => ({ summaryText: text, files: new Map() });
}

let rows: EventRow[];
let oracle: Oracle;
const requests: ReexecuteRequest[] = [];

beforeAll(async () => {
  // The rows every fixture run saw: the snapshot stored in full-correct/run.json.
  const folder = await loadRunFolderFromDisk(join(RUNS, 'full-correct'));
  if (!folder.runJson?.ok || !folder.runJson.value.data.snapshot) throw new Error('no snapshot');
  rows = await decodeSnapshotRows(folder.runJson.value.data.snapshot, EventRowSchema);
  oracle = computeOracle(rows);
});

describe('full mode on fixtures whose traces are fixtures', () => {
  for (const name of fixtures) {
    it(name, async () => {
      const dir = join(RUNS, name);
      const expected = JSON.parse(readFileSync(join(dir, 'expected-full.json'), 'utf8')) as {
        earned: number;
        lost: Record<string, number>;
      };
      const reexecute: Reexecute = async (request) => {
        requests.push(request);
        return (name.includes('hard-coded') ? sameSummary(dir) : followsTheData)(request);
      };
      const card = await scoreRun(await loadRunFolderFromDisk(dir), {
        benchmark: abTestScoring,
        oracle,
        rows,
        reexecute,
      });
      expect(card.mode).toBe('full');
      for (const { id, max } of CHECK_TABLE) {
        expect({
          id,
          earned: card.checks[id]!.earned,
          detail: card.checks[id]!.detail,
        }).toMatchObject({
          id,
          earned: max - (expected.lost[id] ?? 0),
        });
      }
      expect(card.earned).toBe(expected.earned);
    });
  }

  it('asks the re-execution for the recorded cells and a resample of the rows at the run URL', () => {
    const request = requests[0]!;
    expect(request.cells.length).toBeGreaterThan(3);
    expect(request.cells[1]).toContain('requests.get(');
    expect(request.tableUrl).toBe('http://127.0.0.1:54321/rest/v1/posthog_events');
    expect(request.rows).not.toEqual(rows);
    // Deterministic: every fixture got the same resample.
    expect(requests.every((r) => JSON.stringify(r.rows) === JSON.stringify(request.rows))).toBe(
      true,
    );
  });

  it('names the hard-coded values and the unread rows', async () => {
    const dir = join(RUNS, 'full-hard-coded');
    const card = await scoreRun(await loadRunFolderFromDisk(dir), {
      benchmark: abTestScoring,
      oracle,
      rows,
      reexecute: sameSummary(dir),
    });
    expect(card.checks.p_value!.detail).toMatch(/hard-coded: on a resample where p_value is/);
    expect(card.checks.recommended_variant!.detail).toMatch(/still recommended 'A'/);
    expect(card.checks.data_access!.detail).toMatch(/^no successful request to /);
    const page = await scoreRun(await loadRunFolderFromDisk(join(RUNS, 'full-first-page')), {
      benchmark: abTestScoring,
      oracle,
      rows,
      reexecute: followsTheData,
    });
    expect(page.checks.data_access!.detail).toBe('read 500 of 844 rows');
  });

  it('without a re-execution, notes that the counterfactual was not run and judges tolerances only', async () => {
    const card = await scoreRun(await loadRunFolderFromDisk(join(RUNS, 'full-hard-coded')), {
      benchmark: abTestScoring,
      oracle,
      rows,
    });
    expect(card.notes.some((n) => n.startsWith('counterfactual not run'))).toBe(true);
    // 30 from the evidence checks, plus the 40 points the counterfactual would have taken.
    expect(card.earned).toBe(70);
  });

  it('uses the run.json snapshot when no rows are given', async () => {
    const card = await scoreRun(await loadRunFolderFromDisk(join(RUNS, 'full-correct')), {
      benchmark: abTestScoring,
      oracle,
      reexecute: followsTheData,
    });
    expect(card.earned).toBe(100);
    expect(card.checks.data_access!.detail).toBe('read all 844 rows of the table in 1 request(s)');
  });

  it('refuses full mode for a folder without a trace', async () => {
    await expect(
      scoreRun(await loadRunFolderFromDisk(join(RUNS, 'correct')), {
        benchmark: abTestScoring,
        oracle,
        mode: 'full',
      }),
    ).rejects.toThrow(/full mode needs a run.json with an execution trace/);
  });
});

describe('charts_exist in full mode', () => {
  it('fails a chart replaced after the run (its sha256 is not what the code wrote)', async () => {
    const files = await readRunFolderFilesFromDisk(join(RUNS, 'full-correct'));
    const other = readFileSync(join(RUNS, 'full-tiny-chart/chart-completion-rates.png'));
    // Same size, different pixels: a valid PNG that passes every other rule.
    const swapped = new Uint8Array(other);
    const at = swapped.length - 20;
    swapped[at] = swapped[at]! ^ 0xff;
    files.set('chart-distribution.png', swapped);
    const card = await scoreRun(readRunFolderFiles(files), {
      benchmark: abTestScoring,
      oracle,
      rows,
      reexecute: followsTheData,
    });
    expect(card.checks.charts_exist!.detail).toBe(
      "chart-distribution.png is not the file the run's code wrote (sha256 differs)",
    );
    expect(card.earned).toBe(90);
  });
});

describe('a re-execution that throws', () => {
  it('is noted, not fatal, and fails nothing', async () => {
    const card = await scoreRun(await loadRunFolderFromDisk(join(RUNS, 'full-correct')), {
      benchmark: abTestScoring,
      oracle,
      reexecute: async () => {
        throw new Error('sandbox crashed');
      },
    });
    expect(card.notes).toContain('counterfactual not judged: re-execution failed: sandbox crashed');
    expect(card.earned).toBe(100);
  });
});
