/** The oracle as an aligned report for `localds oracle --format text`; field names as in summary.json. */
import type { RetentionOracle } from './oracle-types.js';
import { RETENTION_RAW_STAT_FIELDS } from './oracle-types.js';
import type { Stat } from './scorer-link.js';

/** Counts whole, tiny values in exponent form, null spelled out. */
function show(value: Stat | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) < 1e-4 && value !== 0
    ? value.toExponential(4)
    : String(Number(value.toPrecision(6)));
}

export function formatRetentionOracleText(oracle: RetentionOracle, source: string): string {
  const width = Math.max(...RETENTION_RAW_STAT_FIELDS.map((f) => f.length));
  const cohort = (x: Stat) => `  ${show(x).padStart(9)}`;
  return [
    `retention-cohorts oracle (${source})`,
    `  rows ${oracle.rows_total}, used ${oracle.rows_used}; days ${oracle.first_day ?? '-'} to ${oracle.data_end ?? '-'} (data end)`,
    '',
    `status ${oracle.status}, recommended_variant ${oracle.recommended_variant ?? 'null'}`,
    ...oracle.decision_reasons.map((r) => `  - ${r}`),
    '',
    'raw_stats',
    ...RETENTION_RAW_STAT_FIELDS.map((f) => `  ${f.padEnd(width)}  ${show(oracle[f])}`),
    '',
    'cohort table (cohort_monday variant players d1 d7 d14)',
    ...(oracle.cohort_table ?? []).map(
      (r) =>
        `  ${r.cohort_monday}  ${r.variant}  ${String(r.players).padStart(7)}${cohort(r.d1)}${cohort(r.d7)}${cohort(r.d14)}`,
    ),
    ...Object.entries(oracle.undefined_reasons).map(([field, why]) => `  null ${field}: ${why}`),
    '',
  ].join('\n');
}
