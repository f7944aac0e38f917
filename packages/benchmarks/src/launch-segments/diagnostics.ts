import { chiSquareSf } from '@localds/scorer';
// The A/B benchmark's matching rule (within 0.5%, and told apart from the right figure); shared on purpose.
import { followsWrongBetter } from '@localds/scorer';
import type { Stat } from '../segment-types.js';
import { launchSegmentsDefinitions as d, type Period, type Platform } from './definitions.js';
import { computeLaunchOracle, stratified, type LaunchCounts, type LaunchOracle } from './oracle.js';
import type { SegmentEventRow } from '../segment-events.js';
import { LAUNCH_RAW_STAT_FIELDS, type LaunchRawStats } from './summary.js';

/**
 * Diagnostics of `launch-segments`: which usual wrong definition a run's figures follow. Pure functions
 * of (summary, rows, oracle). A figure is attributed to a mistake only when it follows the wrong value
 * better than the right one, by the scorer's rule (followsWrongBetter: within 0.5%, and the two
 * definitions told apart on these rows).
 */

export const LAUNCH_DIAGNOSTIC_IDS = [
  'pooled_only',
  'unweighted_mean_of_strata',
  'continuity_corrected',
  'launch_boundary_by_date',
  'session_level_rate',
  'rates_as_percent',
  'first_page_only',
] as const;
export type LaunchDiagnosticId = (typeof LAUNCH_DIAGNOSTIC_IDS)[number];

/** Same shape as the scorer's scorecard diagnostics. */
export interface LaunchDiagnostic {
  id: LaunchDiagnosticId;
  field: string;
  message: string;
  /** A figure, or for the decision field (`recommendation`) the run's, the right and the wrong value. */
  reported: number | string | null;
  expected: number | string | null;
  wrong: number | string | null;
}

type Field = keyof LaunchRawStats;
type Figures = Partial<Record<Field, Stat>>;

/** A wrong definition's figures, with the mistakes that produce them and how, in plain words. */
interface Candidate {
  ids: LaunchDiagnosticId[];
  how: string;
  figures: Figures;
}

const RATE_FIELDS: Field[] = [
  'pooled_rate_before',
  'pooled_rate_after',
  'rate_before_mobile',
  'rate_after_mobile',
  'rate_before_desktop',
  'rate_after_desktop',
];

/** PostgREST's default page: a run that does not paginate sees this many rows, in id order. */
export const FIRST_PAGE_ROWS = 1000;

/** Midnight UTC of the launch date: the cut a calendar-date comparison makes. */
const LAUNCH_DATE_MS = Date.parse(`${d.launchInstant.slice(0, 10)}T00:00:00Z`);

/** Session-level rates: sessions with a completion / sessions with a start, per period and platform. */
function sessionLevelRates(rows: readonly SegmentEventRow[]): Figures {
  const sets = new Map<string, { started: Set<string>; completed: Set<string> }>();
  const key = (period: Period, platform: string) => `${period}|${platform}`;
  for (const row of rows) {
    if (row.session_id === null || (row.platform !== 'mobile' && row.platform !== 'desktop'))
      continue;
    const period: Period =
      Date.parse(row.timestamp) < Date.parse(d.launchInstant) ? 'before' : 'after';
    for (const k of [key(period, row.platform), key(period, 'pooled')]) {
      let s = sets.get(k);
      if (!s) sets.set(k, (s = { started: new Set(), completed: new Set() }));
      if (row.event === d.events.started) s.started.add(row.session_id);
      if (row.event === d.events.completed) s.completed.add(row.session_id);
    }
  }
  const rate = (period: Period, platform: string): Stat => {
    const s = sets.get(key(period, platform));
    return s && s.started.size > 0 ? s.completed.size / s.started.size : null;
  };
  return {
    pooled_rate_before: rate('before', 'pooled'),
    pooled_rate_after: rate('after', 'pooled'),
    rate_before_mobile: rate('before', 'mobile'),
    rate_after_mobile: rate('after', 'mobile'),
    rate_before_desktop: rate('before', 'desktop'),
    rate_after_desktop: rate('after', 'desktop'),
  };
}

/** The unweighted mean of the per-platform odds ratios, and of the per-platform rates per period. */
function unweightedMeans(oracle: LaunchOracle): Figures {
  const s = oracle.raw_stats;
  const mean = (a: Stat, b: Stat): Stat => (a === null || b === null ? null : (a + b) / 2);
  const oddsRatio = (p: Platform): Stat => {
    const after = oracle.counts.after[p];
    const before = oracle.counts.before[p];
    const value =
      (after.completed * (before.started - before.completed)) /
      ((after.started - after.completed) * before.completed);
    return Number.isFinite(value) && value > 0 ? value : null;
  };
  return {
    mh_odds_ratio: mean(oddsRatio('mobile'), oddsRatio('desktop')),
    pooled_rate_before: mean(s.rate_before_mobile, s.rate_before_desktop),
    pooled_rate_after: mean(s.rate_after_mobile, s.rate_after_desktop),
  };
}

/** The pooled table's odds ratio and χ² p, reported where the stratified ones belong. */
function pooledFigures(oracle: LaunchOracle): Figures {
  const c = (p: Period) => ({
    completed: oracle.counts[p].mobile.completed + oracle.counts[p].desktop.completed,
    started: oracle.counts[p].mobile.started + oracle.counts[p].desktop.started,
  });
  const after = c('after');
  const before = c('before');
  const crude =
    (after.completed * (before.started - before.completed)) /
    ((after.started - after.completed) * before.completed);
  return {
    mh_odds_ratio: Number.isFinite(crude) && crude > 0 ? crude : null,
    cmh_p_value: oracle.raw_stats.pooled_p_value,
  };
}

/** Yates-corrected pooled χ² p (scipy's chi2_contingency default) and the corrected CMH p. */
function continuityCorrected(counts: LaunchCounts): Figures {
  const cells = (['before', 'after'] as const).map((p) => {
    const started = counts[p].mobile.started + counts[p].desktop.started;
    const completed = counts[p].mobile.completed + counts[p].desktop.completed;
    return [completed, started - completed] as const;
  });
  const rows = cells.map(([a, b]) => a + b);
  const columns = [cells[0]![0] + cells[1]![0], cells[0]![1] + cells[1]![1]];
  const total = rows[0]! + rows[1]!;
  let chi2 = 0;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      const expected = (rows[i]! * columns[j]!) / total;
      // SciPy moves each observed count toward its expected one by at most ½.
      const gap = Math.max(Math.abs(cells[i]![j]! - expected) - 0.5, 0);
      chi2 += (gap * gap) / expected;
    }
  }
  const pooled =
    Number.isFinite(chi2) && cells.flat().every((c) => c >= 0) ? chiSquareSf(chi2, 1) : null;
  return { pooled_p_value: pooled, cmh_p_value: stratified(counts, true).cmh_p };
}

function percent(figures: Figures): Figures {
  const out: Figures = {};
  for (const field of RATE_FIELDS) {
    const v = figures[field];
    if (v !== undefined && v !== null) out[field] = v * 100;
  }
  return out;
}

/** Rows in id order, first page only. */
function firstPage(rows: readonly SegmentEventRow[]): SegmentEventRow[] {
  return [...rows].sort((a, b) => a.id - b.id).slice(0, FIRST_PAGE_ROWS);
}

function candidates(rows: readonly SegmentEventRow[], oracle: LaunchOracle): Candidate[] {
  const out: Candidate[] = [];
  const byDate = computeLaunchOracle(rows, { cutMs: LAUNCH_DATE_MS });
  out.push({
    ids: ['launch_boundary_by_date'],
    how: 'the periods cut at midnight of the launch date instead of the launch instant',
    figures: byDate.raw_stats,
  });
  out.push({
    ids: ['pooled_only'],
    how: 'the pooled (crude) comparison over both platforms',
    figures: pooledFigures(oracle),
  });
  const sessions = sessionLevelRates(rows);
  out.push({
    ids: ['session_level_rate'],
    how: 'the share of sessions that completed',
    figures: sessions,
  });
  out.push({
    ids: ['unweighted_mean_of_strata'],
    how: 'the unweighted mean over platforms',
    figures: unweightedMeans(oracle),
  });
  out.push({
    ids: ['continuity_corrected'],
    how: 'with a continuity correction',
    figures: continuityCorrected(oracle.counts),
  });
  if (rows.length > FIRST_PAGE_ROWS) {
    const page = computeLaunchOracle(firstPage(rows));
    out.push({
      ids: ['first_page_only'],
      how: `on the first ${FIRST_PAGE_ROWS} rows only`,
      figures: page.raw_stats,
    });
  }
  // Rates in percent, alone and on top of each wrong definition of a rate.
  const withPercent = out.map((c) => ({
    ids: [...c.ids, 'rates_as_percent' as const],
    how: `${c.how}, in percent`,
    figures: percent(c.figures),
  }));
  out.push({
    ids: ['rates_as_percent'],
    how: 'in percent instead of a fraction',
    figures: percent(oracle.raw_stats),
  });
  return [...out, ...withPercent];
}

/** The decision the pooled comparison alone gives (χ² p < α, direction of the pooled rates). */
export function pooledDecision(
  oracle: LaunchOracle,
): Pick<LaunchOracle, 'status' | 'direction' | 'recommendation'> {
  const s = oracle.raw_stats;
  if (
    s.pooled_p_value !== null &&
    s.pooled_p_value < d.alpha &&
    s.pooled_rate_before !== null &&
    s.pooled_rate_after !== null
  ) {
    if (s.pooled_rate_after > s.pooled_rate_before)
      return { status: 'significant', direction: 'better', recommendation: 'keep' };
    if (s.pooled_rate_after < s.pooled_rate_before)
      return { status: 'significant', direction: 'worse', recommendation: 'roll_back' };
  }
  return { status: 'not_significant', direction: null, recommendation: null };
}

const fmt = (x: Stat): string => (x === null ? 'null' : String(Number(x.toPrecision(6))));

export interface LaunchDiagnosticsInput {
  rows: readonly SegmentEventRow[];
  oracle: LaunchOracle;
  /** summary.json as the run wrote it (any shape: only finite numbers and the decision are read). */
  summary: unknown;
}

export function launchDiagnostics({
  rows,
  oracle,
  summary,
}: LaunchDiagnosticsInput): LaunchDiagnostic[] {
  const s = (typeof summary === 'object' && summary !== null ? summary : {}) as Record<
    string,
    unknown
  >;
  const raw = (
    typeof s.raw_stats === 'object' && s.raw_stats !== null ? s.raw_stats : {}
  ) as Record<string, unknown>;
  const out: LaunchDiagnostic[] = [];

  // pooled_only: the recommendation is the pooled comparison's where that differs from the right one.
  const pooled = pooledDecision(oracle);
  if (
    s.recommendation !== undefined &&
    pooled.recommendation !== oracle.recommendation &&
    s.recommendation === pooled.recommendation
  ) {
    out.push({
      id: 'pooled_only',
      field: 'recommendation',
      message: `recommendation "${String(s.recommendation)}" follows the pooled comparison (${pooled.direction ?? 'no change'}, χ² p = ${fmt(oracle.raw_stats.pooled_p_value)}); within platforms the answer is ${oracle.recommendation === null ? 'no significant change' : `"${oracle.recommendation}"`}`,
      reported: String(s.recommendation),
      expected: oracle.recommendation,
      wrong: pooled.recommendation,
    });
  }

  const all = candidates(rows, oracle);
  for (const field of LAUNCH_RAW_STAT_FIELDS) {
    const reported = raw[field];
    if (typeof reported !== 'number' || !Number.isFinite(reported)) continue;
    const right = oracle.raw_stats[field];
    const match = all.find((c) => {
      const wrong = c.figures[field];
      return wrong !== undefined && wrong !== null && followsWrongBetter(reported, wrong, right);
    });
    if (!match) continue;
    const wrong = match.figures[field]!;
    for (const id of match.ids) {
      out.push({
        id,
        field: `raw_stats.${field}`,
        message: `${field} = ${fmt(reported)} follows ${match.how} (${fmt(wrong)}); by the definitions it is ${fmt(right)}`,
        reported,
        expected: right,
        wrong,
      });
    }
  }
  return out;
}
