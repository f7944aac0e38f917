/**
 * Judges a re-execution of the run's cells on the resample (./resample.ts): where the resample moved
 * a figure beyond its tolerance, the re-executed code must report the resample's value; a figure that
 * stays put is typed in. Fields the resample barely moves are not judged. The re-execution itself is
 * the scorer's generic driver; this is the retention-specific half.
 */
import type { RetentionCheckId } from './checks.js';
import { figureMatches, RETENTION_TOLERANCE } from './checks.js';
import type { RetentionOracle, RetentionRawStatField } from './oracle-types.js';

export interface Verdict {
  /** True only when the value stayed put although the data moved. */
  fails: boolean;
  detail: string;
}

const JUDGED: readonly {
  check: RetentionCheckId;
  field: RetentionRawStatField;
  tolerance: number;
}[] = [
  { check: 'd7_retention', field: 'd7_retention_a', tolerance: RETENTION_TOLERANCE.rate },
  { check: 'd7_retention', field: 'd7_retention_b', tolerance: RETENTION_TOLERANCE.rate },
  { check: 'd1_d14_retention', field: 'd1_retention_b', tolerance: RETENTION_TOLERANCE.rate },
  { check: 'd1_d14_retention', field: 'd14_retention_b', tolerance: RETENTION_TOLERANCE.rate },
  { check: 'd7_p_value', field: 'd7_p_value', tolerance: RETENTION_TOLERANCE.pAbsolute * 20 },
  { check: 'd7_interval', field: 'd7_diff_ci_low', tolerance: RETENTION_TOLERANCE.interval },
  { check: 'd7_interval', field: 'd7_diff_ci_high', tolerance: RETENTION_TOLERANCE.interval },
];

const show = (x: number) => String(Number(x.toPrecision(6)));

/** Verdicts per check id for a re-executed summary (its raw_stats and decision). */
export function judgeRetentionCounterfactual(
  before: RetentionOracle,
  after: RetentionOracle,
  resampled: Record<string, unknown>,
): Partial<Record<RetentionCheckId, Verdict[]>> {
  const raw = (resampled.raw_stats ?? {}) as Record<string, unknown>;
  const out: Partial<Record<RetentionCheckId, Verdict[]>> = {};
  const add = (check: RetentionCheckId, v: Verdict) => (out[check] ??= []).push(v);
  for (const { check, field, tolerance } of JUDGED) {
    const was = before[field];
    const now = after[field];
    if (was === null || now === null || Math.abs(was - now) <= tolerance) {
      add(check, {
        fails: false,
        detail: `counterfactual: the resample did not move ${field} enough to judge`,
      });
      continue;
    }
    const m = figureMatches(raw[field], now, tolerance);
    add(
      check,
      m.ok
        ? { fails: false, detail: `counterfactual: ${field} followed the resample (${m.why})` }
        : {
            fails: true,
            detail: `hard-coded: on a resample where ${field} is ${show(now)} the code reported ${m.why.split(',')[0]}`,
          },
    );
  }
  if (before.status !== after.status || before.recommended_variant !== after.recommended_variant) {
    const ok =
      resampled.status === after.status &&
      (resampled.recommended_variant ?? null) === after.recommended_variant;
    add('decision', {
      fails: !ok,
      detail: ok
        ? 'counterfactual: the decision followed the resample'
        : `hard-coded: on a resample whose decision is ${after.status} / ${String(after.recommended_variant)} the code still said ${String(resampled.status)} / ${String(resampled.recommended_variant)}`,
    });
  }
  return out;
}
