/**
 * The retention benchmark's checks as pure functions of (summary, cohort CSV, oracle), and their table.
 * The checks that need the trace (data access, charts written and labelled) and the counterfactual are
 * judged in ./scoring.ts with the scorer's generic evidence rules.
 */
import type { CheckOutcome } from '@localds/scorer';
import { parseCohortCsv } from './cohort-csv.js';
import type { RetentionOracle, RetentionRawStatField } from './oracle-types.js';
import { RetentionSummarySchema, type RetentionSummary } from './summary.js';

/** The checks, in scorecard order: 100 points. */
export const RETENTION_CHECKS = [
  { id: 'summary_valid', label: 'summary.json valid', max: 8 },
  { id: 'data_access', label: 'Every page of the table read', max: 10 },
  { id: 'd7_eligible', label: 'D7-eligible players match oracle', max: 8 },
  { id: 'd7_retention', label: 'D7 retention matches oracle', max: 10 },
  { id: 'd1_d14_retention', label: 'D1 and D14 retention match oracle', max: 8 },
  { id: 'd7_p_value', label: 'D7 z-test p-value accuracy', max: 10 },
  { id: 'd7_interval', label: 'D7 difference Wald interval accuracy', max: 8 },
  { id: 'srm', label: 'SRM p-value and mixed players', max: 6 },
  { id: 'cohort_table', label: 'cohort-table.csv matches oracle', max: 12 },
  { id: 'charts_written', label: "Both charts written by the run's code", max: 6 },
  { id: 'charts_labeled', label: 'Charts have titles and axis labels', max: 4 },
  { id: 'decision', label: 'status and recommended_variant correct', max: 10 },
] as const;
export type RetentionCheckId = (typeof RETENTION_CHECKS)[number]['id'];

/**
 * Tolerances. Rates and interval bounds are exact fractions, so ±0.0015 only forgives rounding to three
 * decimals; p-values get ±max(0.0005, 2% of the value), which forgives rounding but not an unpooled or
 * one-sided test; counts are exact.
 */
export const RETENTION_TOLERANCE = {
  rate: 0.0015,
  interval: 0.0015,
  pRelative: 0.02,
  pAbsolute: 0.0005,
};

const show = (x: unknown): string =>
  typeof x === 'number'
    ? String(Number(x.toPrecision(6)))
    : x === undefined
      ? 'missing'
      : JSON.stringify(x);

/** One figure against the oracle's: an undefined (null) figure must be reported as null. */
export function figureMatches(
  reported: unknown,
  expected: number | null,
  tolerance: number,
): { ok: boolean; why: string } {
  if (reported === undefined) return { ok: false, why: 'missing' };
  if (expected === null) {
    return reported === null
      ? { ok: true, why: 'null, undefined on these rows' }
      : { ok: false, why: `${show(reported)}, but it is undefined on these rows (null)` };
  }
  if (typeof reported !== 'number' || !Number.isFinite(reported)) {
    return { ok: false, why: `${show(reported)}, oracle ${show(expected)}` };
  }
  return {
    ok: Math.abs(reported - expected) <= tolerance,
    why: `${show(reported)}, oracle ${show(expected)}`,
  };
}

function fieldsCheck(
  raw: Record<string, unknown>,
  oracle: RetentionOracle,
  fields: readonly RetentionRawStatField[],
  tolerance: (expected: number | null) => number,
): CheckOutcome {
  const parts: string[] = [];
  let pass = true;
  for (const field of fields) {
    const expected = oracle[field];
    const m = figureMatches(raw[field], expected, tolerance(expected));
    if (!m.ok) pass = false;
    parts.push(`${field} ${m.why}`);
  }
  return { pass, detail: parts.join('; ') };
}

const pTolerance = (e: number | null) =>
  Math.max(RETENTION_TOLERANCE.pAbsolute, RETENTION_TOLERANCE.pRelative * Math.abs(e ?? 0));

export interface SummaryReading {
  outcome: CheckOutcome;
  summary: RetentionSummary | null;
  /** raw_stats as written, even when the whole summary does not validate (so each figure is judged alone). */
  raw: Record<string, unknown>;
  data: Record<string, unknown>;
}

/** summary.json text (null when the run wrote none) against the schema. */
export function readRetentionSummary(text: string | null): SummaryReading {
  const empty = { summary: null, raw: {}, data: {} };
  if (text === null)
    return { ...empty, outcome: { pass: false, detail: 'summary.json was not written' } };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      ...empty,
      outcome: { pass: false, detail: `summary.json is not JSON: ${(error as Error).message}` },
    };
  }
  const data =
    json && typeof json === 'object' && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : {};
  const rawValue = data.raw_stats;
  const raw =
    rawValue && typeof rawValue === 'object' && !Array.isArray(rawValue)
      ? (rawValue as Record<string, unknown>)
      : {};
  const parsed = RetentionSummarySchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`)
      .join('; ');
    return {
      summary: null,
      raw,
      data,
      outcome: { pass: false, detail: `summary.json does not match the schema: ${issues}` },
    };
  }
  return {
    summary: parsed.data,
    raw,
    data,
    outcome: { pass: true, detail: 'summary.json matches the schema' },
  };
}

export const d7EligibleCheck = (raw: Record<string, unknown>, o: RetentionOracle) =>
  fieldsCheck(raw, o, ['d7_eligible_a', 'd7_eligible_b'], () => 0);
export const d7RetentionCheck = (raw: Record<string, unknown>, o: RetentionOracle) =>
  fieldsCheck(raw, o, ['d7_retention_a', 'd7_retention_b'], () => RETENTION_TOLERANCE.rate);
export const d1d14RetentionCheck = (raw: Record<string, unknown>, o: RetentionOracle) =>
  fieldsCheck(
    raw,
    o,
    ['d1_retention_a', 'd1_retention_b', 'd14_retention_a', 'd14_retention_b'],
    () => RETENTION_TOLERANCE.rate,
  );
export const d7PValueCheck = (raw: Record<string, unknown>, o: RetentionOracle) =>
  fieldsCheck(raw, o, ['d7_p_value'], pTolerance);
export const d7IntervalCheck = (raw: Record<string, unknown>, o: RetentionOracle) =>
  fieldsCheck(raw, o, ['d7_diff_ci_low', 'd7_diff_ci_high'], () => RETENTION_TOLERANCE.interval);
export function srmCheck(raw: Record<string, unknown>, o: RetentionOracle): CheckOutcome {
  const p = fieldsCheck(raw, o, ['srm_p_value'], pTolerance);
  const mixed = fieldsCheck(raw, o, ['mixed_players'], () => 0);
  return { pass: p.pass && mixed.pass, detail: `${p.detail}; ${mixed.detail}` };
}

export function decisionCheck(data: Record<string, unknown>, o: RetentionOracle): CheckOutcome {
  const status = data.status;
  const variant = data.recommended_variant;
  const pass = status === o.status && variant === o.recommended_variant;
  return {
    pass,
    detail: `got ${show(status)} / ${show(variant)}, oracle ${o.status} / ${show(o.recommended_variant)} (${o.decision_reasons.join('; ')})`,
  };
}

/**
 * cohort-table.csv against the oracle's table: every oracle row present in order (cohort, then
 * variant), players exact, rates within the rate tolerance or null where the oracle's are. Rows with 0
 * players are ignored (a cross join of cohorts and variants is not wrong).
 */
export function cohortTableCheck(text: string | null, o: RetentionOracle): CheckOutcome {
  if (text === null) return { pass: false, detail: 'cohort-table.csv was not written' };
  const reading = parseCohortCsv(text);
  if (reading.problem !== null) return { pass: false, detail: reading.problem };
  const rows = reading.rows.filter((r) => r.players > 0);
  const expected = o.cohort_table;
  const problems: string[] = [];
  if (rows.length !== expected.length) {
    problems.push(`${rows.length} rows with players, oracle ${expected.length}`);
  }
  for (let i = 0; i < Math.min(rows.length, expected.length) && problems.length < 3; i++) {
    const r = rows[i]!;
    const e = expected[i]!;
    const where = `row ${i + 1} (${e.cohort_monday} ${e.variant})`;
    if (r.cohort_monday !== e.cohort_monday || r.variant !== e.variant) {
      problems.push(
        `${where}: got ${r.cohort_monday} ${r.variant} (sorted by cohort then variant?)`,
      );
      continue;
    }
    if (r.players !== e.players)
      problems.push(`${where}: players ${r.players}, oracle ${e.players}`);
    for (const k of ['d1', 'd7', 'd14'] as const) {
      const m = figureMatches(r[k], e[k], RETENTION_TOLERANCE.rate);
      if (!m.ok) problems.push(`${where}: ${k} ${m.why}`);
    }
  }
  return problems.length === 0
    ? { pass: true, detail: `${expected.length} rows match the oracle's cohort table` }
    : { pass: false, detail: problems.join('; ') };
}

/**
 * The precision block (reported, not scored): every figure at a tolerance only an exact computation
 * meets. Rates are exact fractions (1e-9); the interval at 1e-7 tells z = Φ⁻¹(0.975) from 1.96 (which
 * moves a bound by about 4e-5 × its standard error, ~2e-6 here); p-values at 1e-6 relative.
 */
export interface RetentionPrecisionBlock {
  pass: boolean;
  checks: Record<
    string,
    { pass: boolean; reported: number | null; expected: number | null; tolerance: number | null }
  >;
}

export function retentionPrecision(
  raw: Record<string, unknown>,
  o: RetentionOracle,
): RetentionPrecisionBlock {
  const checks: RetentionPrecisionBlock['checks'] = {};
  const tolerance = (field: RetentionRawStatField, expected: number | null): number => {
    if (field.endsWith('_p_value')) return 1e-6 * Math.abs(expected ?? 0) + 1e-15;
    if (field.startsWith('d7_diff_ci')) return 1e-7;
    return 1e-9;
  };
  for (const field of [
    'd7_retention_a',
    'd7_retention_b',
    'd7_p_value',
    'd7_diff_ci_low',
    'd7_diff_ci_high',
    'srm_p_value',
  ] as const) {
    const expected = o[field];
    const t = tolerance(field, expected);
    const reported = typeof raw[field] === 'number' ? (raw[field] as number) : null;
    checks[field] = {
      pass: figureMatches(raw[field], expected, t).ok,
      reported,
      expected,
      tolerance: expected === null ? null : t,
    };
  }
  return { pass: Object.values(checks).every((c) => c.pass), checks };
}
