import { RAW_STAT_FIELDS, type RawStats } from '../summary.js';
import { type EventRow } from '../events.js';
import type { Oracle } from '../oracle/types.js';
import { cohensDUnpooled } from './definitions/effect-size.js';
import { repeatRateDenominator, sessionLevelCompletionRate } from './definitions/rates.js';
import { srmOnEvents, studentT } from './definitions/tests.js';
import { perUserMeanTime } from './definitions/time.js';
import { followsWrongBetter, mayFollowWrong } from '@localds/scorer';
import { diagnosticMessage } from './messages.js';
import { MODIFIERS } from './modifiers.js';
import {
  DIAGNOSTIC_IDS,
  type Candidate,
  type Diagnostic,
  type StatField,
  type View,
  type WrongDefinition,
} from './types.js';
import { DiagnosticsTraceSchema, transformedViews } from './views.js';

export { DIAGNOSTIC_IDS, type Diagnostic, type DiagnosticId } from './types.js';
export { followsWrongBetter, within as withinDiagnosticTolerance } from '@localds/scorer';
export { DEFAULT_PAGE_ROWS } from './views.js';

/** Wrong definitions recomputed on every view (so "dedup, then per-player means" is found too). */
const DEFINITIONS: readonly WrongDefinition[] = [
  sessionLevelCompletionRate,
  perUserMeanTime,
  repeatRateDenominator,
  cohensDUnpooled,
  studentT,
  srmOnEvents,
];

/**
 * At most this many mistakes are combined in one explanation (e.g. dedup then per-player means, or
 * session-level rates ×100): each extra one multiplies the candidates and so the chance that a value
 * wrong for another reason lands within 0.5% of one of them.
 */
const MAX_COMBINED = 2;

export interface DiagnosticsInput {
  rows: readonly EventRow[];
  /** The oracle of exactly these rows. */
  oracle: Oracle;
  /** raw_stats as the run wrote it; only finite numbers are compared. */
  rawStats: Partial<Record<keyof RawStats, unknown>>;
  /** The run's execution trace; only its requests' rows_returned and range.offset are read. */
  trace?: unknown;
}

/** The view's own raw_stats: the right definition applied to (possibly transformed) rows. */
function oracleCandidates(view: View): Candidate[] {
  return RAW_STAT_FIELDS.flatMap((field) => {
    const value = view.oracle[field];
    return value === null ? [] : [{ field, value, ids: view.ids, how: view.how }];
  });
}

function definitionCandidates(view: View, definitions: readonly WrongDefinition[]): Candidate[] {
  return definitions.flatMap((definition) =>
    definition
      .figures(view)
      .flatMap(({ field, value, how }) =>
        value === null
          ? []
          : [{ field, value, ids: [definition.id, ...view.ids], how: [how, ...view.how] }],
      ),
  );
}

/** Each candidate as is, and combined with each modifier that applies to its field. */
function withModifiers(candidates: Candidate[]): Candidate[] {
  return candidates.flatMap((c) => [
    c,
    ...MODIFIERS.filter((m) => m.fields.includes(c.field)).flatMap((m) =>
      m.apply(c.value).map((mod) => ({
        ...c,
        value: mod.value,
        ids: [...c.ids, m.id],
        how: [...c.how, mod.how],
      })),
    ),
  ]);
}

/** Reported finite numbers, keeping only fields a wrong definition could explain at all. */
function explainableFields(
  rawStats: DiagnosticsInput['rawStats'],
  oracle: Oracle,
): Map<StatField, number> {
  const out = new Map<StatField, number>();
  for (const field of RAW_STAT_FIELDS) {
    const value = rawStats[field];
    if (
      typeof value === 'number' &&
      Number.isFinite(value) &&
      mayFollowWrong(value, oracle[field])
    ) {
      out.set(field, value);
    }
  }
  return out;
}

/**
 * Explains wrong raw_stats by the usual wrong definitions, recomputed from the same rows.
 * Per field, the single best explanation is kept: among candidates the reported value follows better than
 * the right figure (see followsWrongBetter), the closest; ties go to the one with fewer mistakes. It gives
 * one diagnostic per mistake it combines (e.g. session-level rates ×100 gives two), ordered by field then id.
 */
export function computeDiagnostics(input: DiagnosticsInput): Diagnostic[] {
  const parsedTrace = DiagnosticsTraceSchema.safeParse(input.trace ?? {});
  if (!parsedTrace.success) {
    throw new Error(
      `computeDiagnostics: trace.requests is malformed: ${parsedTrace.error.message}`,
    );
  }
  const reported = explainableFields(input.rawStats, input.oracle);
  if (reported.size === 0) return [];

  // Recompute only what could explain a field that needs explaining.
  const definitions = DEFINITIONS.filter((d) => d.fields.some((f) => reported.has(f)));
  const full: View = { rows: input.rows, oracle: input.oracle, ids: [], how: [] };
  const views = [full, ...transformedViews(input.rows, parsedTrace.data)];
  const candidates = withModifiers(
    views.flatMap((view) => [
      ...oracleCandidates(view),
      ...definitionCandidates(view, definitions),
    ]),
  ).filter(
    (c) =>
      c.ids.length > 0 &&
      c.ids.length <= MAX_COMBINED &&
      reported.has(c.field) &&
      Number.isFinite(c.value),
  );

  const diagnostics: Diagnostic[] = [];
  for (const [field, value] of reported) {
    const expected = input.oracle[field];
    const best = candidates
      .filter((c) => c.field === field && followsWrongBetter(value, c.value, expected))
      .sort(
        (x, y) =>
          Math.abs(value - x.value) - Math.abs(value - y.value) || x.ids.length - y.ids.length,
      )[0];
    if (best === undefined) continue;
    const message = diagnosticMessage(best, value, expected, input.oracle);
    const ids = DIAGNOSTIC_IDS.filter((id) => best.ids.includes(id));
    for (const id of ids)
      diagnostics.push({ id, field, message, reported: value, expected, wrong: best.value });
  }
  return diagnostics;
}
