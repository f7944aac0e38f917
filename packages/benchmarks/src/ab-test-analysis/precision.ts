import type { RawStats } from './summary.js';
import type { Oracle, Stat } from './oracle/types.js';

/** Tighter than the scored tolerances, and reported beside them without changing the total. */
export const PRECISION_TOLERANCE = {
  /** p: 10% of the oracle's p, or 0.001 absolute, whichever is looser. */
  pRelative: 0.1,
  pAbsolute: 0.001,
  cohensD: 0.05,
  rate: 0.005,
} as const;

export const PRECISION_FIELDS = [
  'p_value',
  'cohens_d',
  'completion_rate_a',
  'completion_rate_b',
  'repeat_rate_a',
  'repeat_rate_b',
] as const satisfies readonly (keyof RawStats)[];
export type PrecisionField = (typeof PRECISION_FIELDS)[number];

export interface PrecisionCheck {
  pass: boolean;
  /** The run's value; null when missing or not a finite number. */
  reported: number | null;
  expected: Stat;
  /** The absolute tolerance applied (for p with no oracle value, its absolute floor). */
  tolerance: number;
}

export interface PrecisionBlock {
  pass: boolean;
  checks: Record<PrecisionField, PrecisionCheck>;
}

function toleranceFor(field: PrecisionField, expected: Stat): number {
  if (field === 'p_value') {
    return Math.max(
      PRECISION_TOLERANCE.pRelative * Math.abs(expected ?? 0),
      PRECISION_TOLERANCE.pAbsolute,
    );
  }
  return field === 'cohens_d' ? PRECISION_TOLERANCE.cohensD : PRECISION_TOLERANCE.rate;
}

function check(field: PrecisionField, raw: unknown, expected: Stat): PrecisionCheck {
  const reported = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
  const tolerance = toleranceFor(field, expected);
  if (expected === null) return { pass: false, reported, expected, tolerance };
  // d is compared sign-agnostically, as the scored check does; the cohens_d_sign diagnostic names a flip.
  const distance =
    reported === null
      ? Infinity
      : field === 'cohens_d'
        ? Math.abs(Math.abs(reported) - Math.abs(expected))
        : Math.abs(reported - expected);
  return { pass: distance <= tolerance, reported, expected, tolerance };
}

/**
 * The precision block: p, d, and both completion and repeat rates against the oracle with tight tolerances.
 * Repeat rates are included because the task asks for the repeat-rate guardrail and raw_stats names them.
 * A missing or non-numeric value fails (reported null), as does a figure the oracle leaves undefined.
 */
export function precisionBlock(
  rawStats: Partial<Record<keyof RawStats, unknown>>,
  oracle: Oracle,
): PrecisionBlock {
  const checks = Object.fromEntries(
    PRECISION_FIELDS.map((field) => [field, check(field, rawStats[field], oracle[field])]),
  ) as Record<PrecisionField, PrecisionCheck>;
  return { pass: PRECISION_FIELDS.every((field) => checks[field].pass), checks };
}
