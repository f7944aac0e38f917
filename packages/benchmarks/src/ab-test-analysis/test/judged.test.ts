import { EventRowSchema } from '../../index.js';
import { abTestScoring } from '../../index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventRow } from '../../index.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRunFolderFilesFromDisk } from '@localds/scorer/node';
import { CHECK_TABLE, computeOracle } from '../../index.js';
import {
  decodeSnapshotRows,
  readRunFolderFiles,
  RunJsonSchema,
  ScorecardSchema,
  scoreRun,
  scoreRunWithCounterfactual,
  serializeRunJson,
  type Reexecute,
  type RunFolderFiles,
  type RunJson,
} from '@localds/scorer';

const FIXTURES = join(import.meta.dirname, '../../../../scorer/fixtures'); // the scorer's run folders and scorecards
const RUNS = join(FIXTURES, 'runs');

/** A re-execution that recomputes the summary from the rows it is served (a correct notebook). */
const followsTheData: Reexecute = async ({ rows }) => {
  const o = computeOracle(rows as EventRow[]);
  const raw_stats = {
    p_value: o.p_value,
    cohens_d: o.cohens_d,
    completion_rate_a: o.completion_rate_a,
    completion_rate_b: o.completion_rate_b,
  };
  return {
    summaryText: JSON.stringify({ recommended_variant: o.recommended_variant, raw_stats }),
    files: new Map(),
  };
};

let files: RunFolderFiles;
let run: RunJson;
let rows: EventRow[];

beforeAll(async () => {
  files = await readRunFolderFilesFromDisk(join(RUNS, 'full-correct'));
  run = RunJsonSchema.parse(JSON.parse(new TextDecoder().decode(files.get('run.json'))));
  rows = await decodeSnapshotRows(run.data.snapshot!, EventRowSchema);
});

/** full-correct with its run.json changed. */
function withRunJson(change: (r: RunJson) => RunJson): ReturnType<typeof readRunFolderFiles> {
  const copy = new Map(files);
  copy.set('run.json', new TextEncoder().encode(serializeRunJson(change(structuredClone(run)))));
  return readRunFolderFiles(copy);
}

describe('old scorecards stay readable', () => {
  it('reads a scorecard written by scorer 0.1.0: judged = total, every check judged', () => {
    const text = readFileSync(join(FIXTURES, 'scorecards/scorer-0.1.0-full.json'), 'utf8');
    const raw = JSON.parse(text) as Record<string, unknown>;
    expect(raw.judged).toBeUndefined();
    const card = ScorecardSchema.parse(raw);
    expect(card.scorer_version).toBe('0.1.0');
    expect(card.judged).toBe(100);
    expect(Object.values(card.checks).every((c) => c.judged)).toBe(true);
  });
});

describe('evidence or not judged', () => {
  it('a stdlib-only run: charts_labeled is not judged and the score is earned of judged points', async () => {
    const folder = withRunJson((r) => ({
      ...r,
      environment: { packages: 'stdlib-only', loaded: [] },
    }));
    const card = await scoreRun(folder, {
      benchmark: abTestScoring,
      oracle: computeOracle(rows),
      rows,
    });
    expect(card.checks.charts_labeled).toMatchObject({ judged: false, earned: 0, pass: false });
    expect(card.checks.charts_labeled!.detail).toMatch(
      /^not judged: the run had the standard library/,
    );
    expect([card.earned, card.judged, card.total, card.pct]).toEqual([95, 95, 100, 100]);
  });

  it('never falls back to the code: labels set in code but no figure recorded fails', async () => {
    const folder = withRunJson((r) => ({
      ...r,
      environment: { packages: 'full', loaded: ['numpy', 'pandas', 'scipy', 'matplotlib'] },
      trace: { ...r.trace!, figures: [] },
    }));
    const card = await scoreRun(folder, {
      benchmark: abTestScoring,
      oracle: computeOracle(rows),
      rows,
    });
    // The notebook calls set_title/set_xlabel (the compat regex would pass it).
    expect(card.checks.charts_labeled).toMatchObject({ judged: true, pass: false, earned: 0 });
    expect([card.earned, card.judged, card.pct]).toEqual([95, 100, 95]);
  });

  it('code in a cell that failed is no evidence of the test it contains', async () => {
    const folder = withRunJson((r) => {
      const cells = r.trace!.cells.map((c) => ({ ...c }));
      // Every clean cell that runs the t-test or chi-square now failed.
      for (const c of cells) c.status = 'error';
      return { ...r, trace: { ...r.trace!, cells } };
    });
    const card = await scoreRun(folder, {
      benchmark: abTestScoring,
      oracle: computeOracle(rows),
      rows,
    });
    expect(card.checks.hypothesis_tests!.pass).toBe(false);
    expect(card.checks.hypothesis_tests!.detail).toMatch(
      /cell\(s\) that did not run cleanly not counted/,
    );
    const compat = await scoreRun(folder, {
      benchmark: abTestScoring,
      oracle: computeOracle(rows),
      rows,
      mode: 'compat',
    });
    expect(compat.checks.hypothesis_tests!.pass).toBe(true);
  });

  it('compat mode judges every check (its parity with the article is unchanged)', async () => {
    const card = await scoreRun(readRunFolderFiles(files), {
      benchmark: abTestScoring,
      oracle: computeOracle(rows),
      mode: 'compat',
    });
    expect(card.judged).toBe(card.total);
    expect(CHECK_TABLE.every(({ id }) => card.checks[id]!.judged)).toBe(true);
  });
});

describe('the counterfactual outcome stored in run.json', () => {
  it('is returned by a scoring that re-executed and judged the same where nothing can re-execute', async () => {
    const oracle = computeOracle(rows);
    const first = await scoreRunWithCounterfactual(readRunFolderFiles(files), {
      benchmark: abTestScoring,
      oracle,
      reexecute: followsTheData,
    });
    expect(first.counterfactual).toMatchObject({ seed: expect.any(Number), cells: 8 });
    expect(first.counterfactual!.outcome.ok).toBe(true);
    const stored = withRunJson((r) => ({ ...r, counterfactual: first.counterfactual }));
    const again = await scoreRunWithCounterfactual(stored, { benchmark: abTestScoring, oracle });
    // Nothing new to store: this place did not re-execute.
    expect(again.counterfactual).toBeNull();
    for (const { id } of CHECK_TABLE) {
      const [a, b] = [first.scorecard.checks[id]!, again.scorecard.checks[id]!];
      expect({ id, pass: b.pass, earned: b.earned }).toEqual({
        id,
        pass: a.pass,
        earned: a.earned,
      });
    }
    expect(again.scorecard.checks.p_value!.detail).toBe(
      `${first.scorecard.checks.p_value!.detail} (counterfactual outcome stored in run.json, not re-executed here)`,
    );
  });

  it('a stored hard-coded outcome still fails the values it froze', async () => {
    const oracle = computeOracle(rows);
    const frozen: Reexecute = async () => ({
      summaryText: readFileSync(join(RUNS, 'full-correct/summary.json'), 'utf8'),
      files: new Map(),
    });
    const first = await scoreRunWithCounterfactual(readRunFolderFiles(files), {
      benchmark: abTestScoring,
      oracle,
      reexecute: frozen,
    });
    const again = await scoreRun(
      withRunJson((r) => ({ ...r, counterfactual: first.counterfactual })),
      { benchmark: abTestScoring, oracle },
    );
    expect(again.checks.p_value!.pass).toBe(false);
    expect(again.checks.p_value!.detail).toMatch(/hard-coded: .* \(counterfactual outcome stored/);
    expect(again.earned).toBe(first.scorecard.earned);
  });

  it('is used for the same rows whatever their key order (in memory vs read from a snapshot)', async () => {
    const first = await scoreRunWithCounterfactual(readRunFolderFiles(files), {
      benchmark: abTestScoring,
      oracle: computeOracle(rows),
      rows,
      reexecute: followsTheData,
    });
    const reordered = rows.map((r) => Object.fromEntries(Object.entries(r).reverse()) as EventRow);
    const card = await scoreRun(
      withRunJson((r) => ({ ...r, counterfactual: first.counterfactual })),
      { benchmark: abTestScoring, oracle: computeOracle(reordered), rows: reordered },
    );
    expect(card.notes.some((n) => n.includes('(counterfactual outcome stored in run.json'))).toBe(
      true,
    );
  });

  it('is not used for other rows', async () => {
    const first = await scoreRunWithCounterfactual(readRunFolderFiles(files), {
      benchmark: abTestScoring,
      oracle: computeOracle(rows),
      reexecute: followsTheData,
    });
    const other = rows.slice(0, 600);
    const card = await scoreRun(
      withRunJson((r) => ({ ...r, counterfactual: first.counterfactual })),
      { benchmark: abTestScoring, oracle: computeOracle(other), rows: other },
    );
    expect(card.notes).toContain(
      'counterfactual not run: the outcome stored in run.json is for another resample (seed or rows differ) and no re-execution is available; judged on tolerances only',
    );
  });
});
