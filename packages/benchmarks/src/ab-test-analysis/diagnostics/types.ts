import type { EventRow } from '../events.js';
import type { RawStats } from '../summary.js';
import type { Oracle, Stat } from '../oracle/types.js';

/** The usual wrong definitions, in the order diagnostics are reported. */
export const DIAGNOSTIC_IDS = [
  'session_level_completion_rate',
  'per_user_mean_time',
  'dedup_by_session',
  'repeat_rate_denominator',
  'cohens_d_sign',
  'cohens_d_unpooled',
  'one_tailed_p',
  'student_t',
  'srm_on_events',
  'rates_as_percent',
  'first_page_only',
] as const;
export type DiagnosticId = (typeof DIAGNOSTIC_IDS)[number];

/** A raw_stats field of summary.json. */
export type StatField = keyof RawStats;

/** One wrong definition the run's reported value follows better than the right one. */
export interface Diagnostic {
  id: DiagnosticId;
  /** The raw_stats field the mistake shows in. A mistake seen in several fields gives one diagnostic per field. */
  field: StatField;
  message: string;
  /** The run's value. */
  reported: number;
  /** The right figure (the oracle's); null where the oracle leaves it undefined. */
  expected: Stat;
  /** The figure the wrong definition gives on the same rows. */
  wrong: number;
}

/**
 * The rows a statistic is computed on, with their oracle. The full rows carry no ids; a transformed
 * row set (deduplicated, first page) carries the id of the mistake that produces it.
 */
export interface View {
  rows: readonly EventRow[];
  oracle: Oracle;
  ids: readonly DiagnosticId[];
  /** Plain words for how the rows were changed, e.g. "on the first 1000 rows only". */
  how: readonly string[];
}

/** A figure some definition gives for one field. */
export interface Figure {
  field: StatField;
  value: Stat;
  /** Plain words naming the definition, e.g. "the share of sessions that ever completed". */
  how: string;
}

/** One named wrong definition: recomputes the fields it touches from a view. */
export interface WrongDefinition {
  id: DiagnosticId;
  /** The fields it recomputes, so that it is skipped when none of them needs explaining. */
  fields: readonly StatField[];
  figures(view: View): Figure[];
}

/** A wrong way of reporting a figure that any definition may be combined with (×100, sign, one tail). */
export interface Modifier {
  id: DiagnosticId;
  fields: readonly StatField[];
  apply(value: number): { value: number; how: string }[];
}

/** A fully described candidate figure: which mistakes (possibly none) produce which value. */
export interface Candidate {
  field: StatField;
  value: number;
  ids: readonly DiagnosticId[];
  how: readonly string[];
}
