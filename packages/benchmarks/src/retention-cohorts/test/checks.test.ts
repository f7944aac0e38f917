import { describe, expect, it } from 'vitest';
import {
  cohortTableCheck,
  decisionCheck,
  figureMatches,
  readRetentionSummary,
  retentionPrecision,
} from '../checks.js';
import { formatCohortCsv, parseCohortCsv } from '../cohort-csv.js';
import { generateRetentionDataset } from '../generator.js';
import { computeRetentionOracle } from '../oracle.js';
import { RETENTION_RAW_STAT_FIELDS } from '../oracle-types.js';
import { formatRetentionOracleText } from '../oracle-text.js';

const oracle = computeRetentionOracle(generateRetentionDataset('canonical'));
const rightRaw = Object.fromEntries(RETENTION_RAW_STAT_FIELDS.map((f) => [f, oracle[f]]));
const summary = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    status: oracle.status,
    recommended_variant: oracle.recommended_variant,
    decision: 'B wins',
    raw_stats: rightRaw,
    ...over,
  });

describe('readRetentionSummary', () => {
  it('accepts a complete summary', () => {
    expect(readRetentionSummary(summary()).outcome.pass).toBe(true);
  });
  it('says what is wrong: missing, not JSON, a field of the wrong type', () => {
    expect(readRetentionSummary(null).outcome.detail).toMatch(/not written/);
    expect(readRetentionSummary('{').outcome.detail).toMatch(/not JSON/);
    const bad = readRetentionSummary(summary({ raw_stats: { ...rightRaw, d7_eligible_a: 1.5 } }));
    expect(bad.outcome.pass).toBe(false);
    expect(bad.outcome.detail).toMatch(/raw_stats\.d7_eligible_a/);
    // Each figure is still judged on its own when the whole does not validate.
    expect(bad.raw.d7_retention_a).toBe(oracle.d7_retention_a);
    expect(readRetentionSummary(summary({ decision: undefined })).outcome.pass).toBe(false);
  });
});

describe('figureMatches', () => {
  it('needs null where the oracle is undefined, and a number within tolerance otherwise', () => {
    expect(figureMatches(null, null, 0.1).ok).toBe(true);
    expect(figureMatches(0, null, 0.1).ok).toBe(false);
    expect(figureMatches(undefined, 0.5, 0.1).ok).toBe(false);
    expect(figureMatches('0.5', 0.5, 0.1).ok).toBe(false);
    expect(figureMatches(0.5014, 0.5, 0.0015).ok).toBe(true);
    expect(figureMatches(0.5016, 0.5, 0.0015).ok).toBe(false);
  });
});

describe('cohortTableCheck', () => {
  const right = formatCohortCsv(oracle.cohort_table);
  it("passes the oracle's own table, rounded to 3 decimals too", () => {
    expect(cohortTableCheck(right, oracle).pass).toBe(true);
    const rounded = formatCohortCsv(
      oracle.cohort_table.map((r) => ({
        ...r,
        d1: r.d1 === null ? null : Number(r.d1.toFixed(3)),
        d7: r.d7 === null ? null : Number(r.d7.toFixed(3)),
        d14: r.d14 === null ? null : Number(r.d14.toFixed(3)),
      })),
    );
    expect(cohortTableCheck(rounded, oracle).pass).toBe(true);
  });
  it('accepts dates written as pandas midnight datetimes and ignores zero-player rows', () => {
    const lines = right.trimEnd().split('\n');
    const withTimes = [
      lines[0],
      ...lines.slice(1).map((l) => l.replace(/^(\d{4}-\d{2}-\d{2})/, '$1 00:00:00+00:00')),
    ];
    withTimes.push(`2026-09-28,A,0,,,`);
    expect(cohortTableCheck(withTimes.join('\n'), oracle).pass).toBe(true);
  });
  it('fails a wrong count, a missing row, a wrong order, a value where null is due, and a bad header', () => {
    const rows = oracle.cohort_table;
    const fail = (table: typeof rows) => cohortTableCheck(formatCohortCsv(table), oracle);
    expect(
      fail(rows.map((r, i) => (i === 2 ? { ...r, players: r.players + 1 } : r))).detail,
    ).toMatch(/players/);
    expect(fail(rows.slice(1)).pass).toBe(false);
    expect(fail([...rows].reverse()).detail).toMatch(/sorted/);
    const lastD14 = rows.findIndex((r) => r.d14 === null);
    expect(fail(rows.map((r, i) => (i === lastD14 ? { ...r, d14: 0 } : r))).detail).toMatch(
      /undefined/,
    );
    expect(
      cohortTableCheck(right.replace('cohort_monday', ',cohort_monday'), oracle).detail,
    ).toMatch(/header/);
    expect(cohortTableCheck(null, oracle).detail).toMatch(/not written/);
  });
  it('names the line and column of a bad cell', () => {
    const parsed = parseCohortCsv(
      'cohort_monday,variant,players,d1,d7,d14\n2026-08-03,A,3,0.5,abc,\n',
    );
    expect(parsed.problem).toBe(
      'cohort-table.csv line 2 d7: "abc" is not a number or an empty cell',
    );
    expect(
      parseCohortCsv('cohort_monday,variant,players,d1,d7,d14\n2026-08-03,C,3,0.5,,\n').problem,
    ).toMatch(/line 2 variant/);
  });
});

describe('decisionCheck', () => {
  it('needs both the status and the variant', () => {
    expect(
      decisionCheck(
        { status: oracle.status, recommended_variant: oracle.recommended_variant },
        oracle,
      ).pass,
    ).toBe(true);
    expect(decisionCheck({ status: oracle.status, recommended_variant: 'A' }, oracle).pass).toBe(
      false,
    );
    expect(
      decisionCheck({ status: 'not_significant', recommended_variant: null }, oracle).pass,
    ).toBe(false);
  });
});

describe('retentionPrecision', () => {
  it('passes exact figures and tells z = 1.96 from Φ⁻¹(0.975) in the interval', () => {
    expect(retentionPrecision(rightRaw, oracle).pass).toBe(true);
    const se = (oracle.d7_diff_ci_high! - oracle.d7_diff_ci_low!) / 2 / 1.959963984540054;
    const diff = oracle.d7_retention_b! - oracle.d7_retention_a!;
    const with196 = {
      ...rightRaw,
      d7_diff_ci_low: diff - 1.96 * se,
      d7_diff_ci_high: diff + 1.96 * se,
    };
    const block = retentionPrecision(with196, oracle);
    expect(block.pass).toBe(false);
    expect(block.checks.d7_diff_ci_low!.pass).toBe(false);
    expect(block.checks.d7_retention_a!.pass).toBe(true);
  });
});

describe('formatRetentionOracleText', () => {
  it('names the decision, every raw_stats field and every cohort row', () => {
    const text = formatRetentionOracleText(oracle, 'scenario canonical');
    expect(text).toContain(
      `status ${oracle.status}, recommended_variant ${oracle.recommended_variant}`,
    );
    for (const f of RETENTION_RAW_STAT_FIELDS)
      expect(text).toMatch(new RegExp(`^  ${f} +\\S`, 'm'));
    for (const r of oracle.cohort_table) expect(text).toContain(`${r.cohort_monday}  ${r.variant}`);
  });
});
