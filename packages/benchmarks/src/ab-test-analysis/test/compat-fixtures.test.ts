import { EventRowSchema } from '../../index.js';
import { abTestScoring } from '../../index.js';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunFolderFromDisk } from '@localds/scorer/node';
import { CHECK_TABLE, parseOracleJson } from '../../index.js';
import { decodeSnapshotRows, scoreRun } from '@localds/scorer';

const RUNS = join(import.meta.dirname, '../../../../scorer/fixtures/runs'); // the scorer's corpus of run folders;
const oracle = parseOracleJson(JSON.parse(readFileSync(join(RUNS, 'oracle.json'), 'utf8')));

interface Expected {
  why: string;
  earned: number;
  lost: Record<string, number>;
}

const fixtures = readdirSync(RUNS).filter((d) => existsSync(join(RUNS, d, 'expected-compat.json')));

describe('compat mode on the broken-run fixtures (expected scores reasoned from the article rules)', () => {
  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
  });

  for (const name of fixtures) {
    it(name, async () => {
      const expected = JSON.parse(
        readFileSync(join(RUNS, name, 'expected-compat.json'), 'utf8'),
      ) as Expected;
      const card = await scoreRun(await loadRunFolderFromDisk(join(RUNS, name)), {
        benchmark: abTestScoring,
        oracle,
        mode: 'compat',
      });
      expect(card.mode).toBe('compat');
      for (const { id, max } of CHECK_TABLE) {
        const lost = expected.lost[id] ?? 0;
        expect({
          id,
          earned: card.checks[id]!.earned,
          detail: card.checks[id]!.detail,
        }).toMatchObject({
          id,
          earned: max - lost,
        });
      }
      expect(card.earned).toBe(expected.earned);
      expect(card.total).toBe(100);
      expect(card.pct).toBe(expected.earned);
    });
  }
});

describe('compat details use the article wording', () => {
  it('reports which completion rate is off and a missing file list', async () => {
    const session = await scoreRun(await loadRunFolderFromDisk(join(RUNS, 'session-level-rate')), {
      benchmark: abTestScoring,
      oracle,
    });
    expect(session.checks.completion_rates!.detail).toBe(
      'both rates off: A:0.9643 B:0.9753, oracle A:0.8875 B:0.7143',
    );
    const charts = await scoreRun(await loadRunFolderFromDisk(join(RUNS, 'missing-charts')), {
      benchmark: abTestScoring,
      oracle,
    });
    expect(charts.checks.charts_exist!.detail).toBe(
      'found 0/3, missing: chart-distribution.png, chart-treatment-effect.png, chart-completion-rates.png',
    );
    const percent = await scoreRun(await loadRunFolderFromDisk(join(RUNS, 'percent-rates')), {
      benchmark: abTestScoring,
      oracle,
    });
    expect(percent.checks.completion_rates!.detail).toBe(
      'both rates off: A:88.75 B:71.43, oracle A:0.8875 B:0.7143',
    );
  });

  it('formats p like Python .6g and passes a malformed summary on as {}', async () => {
    const good = await scoreRun(await loadRunFolderFromDisk(join(RUNS, 'correct')), {
      benchmark: abTestScoring,
      oracle,
    });
    expect(good.checks.p_value!.detail).toBe('got 0.000589, oracle 0.000589, tolerance ±0.05');
    const bad = await scoreRun(await loadRunFolderFromDisk(join(RUNS, 'malformed-summary')), {
      benchmark: abTestScoring,
      oracle,
    });
    expect(bad.checks.summary_valid!.detail).toMatch(/^parse error: /);
    expect(bad.checks.p_value!.detail).toBe('p_value missing from run');
    expect(bad.checks.recommended_variant!.detail).toBe("got 'None', expected 'A'");
    expect(bad.checks.decision_grounded!.detail).toBe(
      'only conclusion section (need 2+ references)',
    );
  });
});

describe('diagnostics on the compat fixtures, scored with the rows the runs saw', () => {
  for (const name of fixtures.filter((f) => !f.startsWith('full-'))) {
    it(name, async () => {
      const expected = JSON.parse(
        readFileSync(join(RUNS, name, 'expected-compat.json'), 'utf8'),
      ) as {
        diagnostics: string[];
      };
      const snapshotFolder = await loadRunFolderFromDisk(join(RUNS, 'full-correct'));
      if (!snapshotFolder.runJson?.ok || !snapshotFolder.runJson.value.data.snapshot)
        throw new Error('no snapshot');
      const rows = await decodeSnapshotRows(
        snapshotFolder.runJson.value.data.snapshot,
        EventRowSchema,
      );
      const card = await scoreRun(await loadRunFolderFromDisk(join(RUNS, name)), {
        benchmark: abTestScoring,
        oracle,
        rows,
        mode: 'compat',
      });
      expect([...new Set(card.diagnostics.map((d) => d.id))].sort()).toEqual(expected.diagnostics);
      expect(card.precision).not.toBeNull();
    });
  }
});
