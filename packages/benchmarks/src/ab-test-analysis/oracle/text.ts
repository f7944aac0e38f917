import { RAW_STAT_FIELDS } from '../summary.js';
import type { Stat } from '@localds/scorer';
import type { Oracle, VariantFigures } from './types.js';

/** Numbers as a reader wants them: counts whole, tiny or huge values in exponent form, null spelled out. */
function show(value: Stat): string {
  if (value === null) return 'null';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const size = Math.abs(value);
  return size !== 0 && (size < 1e-4 || size >= 1e6)
    ? value.toExponential(4)
    : String(Number(value.toPrecision(6)));
}

function table(title: string, rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([name]) => name.length));
  return [title, ...rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`), ''];
}

/** The oracle as an aligned, human-readable report; field names as in summary.json's raw_stats. */
export function formatOracleText(oracle: Oracle, source: string): string {
  const stats = (...fields: (keyof Oracle)[]): [string, string][] =>
    fields.map((f) => [f, show(oracle[f] as Stat)]);
  const variantRows = (Object.keys(oracle.variants.A) as (keyof VariantFigures)[]).map(
    (f): [string, string] => [
      f,
      `${show(oracle.variants.A[f]).padStart(12)}  ${show(oracle.variants.B[f]).padStart(12)}`,
    ],
  );
  const { excluded } = oracle;
  const unknown =
    oracle.unknown_variants.length > 0
      ? ` (${oracle.unknown_variants.map((v) => JSON.stringify(v)).join(', ')})`
      : '';
  const lines = [
    `oracle for ${oracle.benchmark} ${oracle.benchmark_version}: ${source}`,
    `rows: ${oracle.rows_total} total, ${oracle.rows_used} used, ${oracle.rows_excluded} excluded ` +
      `(${excluded.null_variant} null variant, ${excluded.null_session} null session, ${excluded.unknown_variant} unknown variant${unknown})` +
      (oracle.sessions_in_both_variants > 0
        ? `; ${oracle.sessions_in_both_variants} sessions in both variants`
        : ''),
    '',
    ...table('decision', [
      ['status', oracle.status],
      ['recommended_variant', oracle.recommended_variant ?? 'null'],
    ]),
    ...table('raw_stats', stats(...RAW_STAT_FIELDS)),
    ...table(
      `primary: completion_time_seconds, B − A (CI ${show(oracle.ci_level * 100)}%)`,
      stats('t_statistic', 'welch_df', 'mean_diff', 'ci_low', 'ci_high', 'pooled_sd'),
    ),
    ...table(
      'guardrails',
      stats('completion_chi2', 'completion_p_value', 'repeat_z', 'repeat_p_value'),
    ),
    ...table(
      'sample ratio mismatch',
      stats('srm_chi2', 'srm_p_value', 'srm_chi2_events', 'srm_p_value_events'),
    ),
    ...table('per variant', [['', `${'A'.padStart(12)}  ${'B'.padStart(12)}`], ...variantRows]),
    'why',
    ...oracle.decision_reasons.map((r) => `  - ${r}`),
  ];
  const undefinedFields = Object.entries(oracle.undefined_reasons);
  if (undefinedFields.length > 0) {
    lines.push(
      '',
      'undefined',
      ...undefinedFields.map(([field, reason]) => `  ${field}: ${reason}`),
    );
  }
  return `${lines.join('\n')}\n`;
}
