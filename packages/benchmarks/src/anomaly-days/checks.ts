import type { CheckOutcome } from '../segment-types.js';
import { f1 } from './diagnostics.js';
import type { AnomalyOracle } from './oracle.js';
import { ANOMALY_CSV_COLUMNS, AnomalySummarySchema, type AnomalySummary } from './summary.js';

/**
 * The checks of `anomaly-days` (100 points). `flagged_days` earns max × F1 of the run's flagged dates
 * against the oracle's (full points when both are empty), so neither flagging everything nor nothing
 * pays. The ones judged from summary.json and anomalies.csv are pure functions here; `data_access` and
 * the chart checks use the scorer's generic evidence helpers when the benchmark is wired into #11.
 */
export const ANOMALY_CHECKS = [
  { id: 'summary_valid', label: 'summary.json valid', max: 5 },
  { id: 'data_access', label: 'Every page of rows read from Supabase', max: 15 },
  { id: 'flagged_days', label: 'Anomalous days (points × F1)', max: 30 },
  { id: 'anomaly_types', label: 'Drop or spike right on each correctly flagged day', max: 5 },
  { id: 'counts_baselines', label: 'Counts, baselines and ratios of the reported days', max: 10 },
  { id: 'bots', label: 'Bots identified', max: 10 },
  { id: 'usable_rows', label: 'usable_rows and bot_rows', max: 5 },
  { id: 'days_evaluated', label: 'days_evaluated and anomaly_count', max: 5 },
  { id: 'anomalies_csv', label: 'anomalies.csv holds the same days', max: 5 },
  { id: 'charts_exist', label: 'chart-daily-counts.png written by the run', max: 5 },
  { id: 'charts_labeled', label: 'Chart has labels and a title', max: 5 },
] as const;
export type AnomalyCheckId = (typeof ANOMALY_CHECKS)[number]['id'];

/** A check outcome with partial points (flagged_days); the others earn all or nothing. */
export interface GradedOutcome extends CheckOutcome {
  /** Points earned, an integer from 0 to the check's max; absent means max when pass, else 0. */
  earned?: number;
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** Not judged: the evidence cannot exist for this run (mirrors the scorer's notJudged). */
const notJudged = (reason: string): CheckOutcome => ({
  pass: false,
  judged: false,
  detail: `not judged: ${reason}`,
});

const closeTo = (a: unknown, e: number | null): boolean =>
  e === null
    ? a === null
    : typeof a === 'number' && Math.abs(a - e) <= 1e-6 * Math.max(1, Math.abs(e));

/** Parses anomalies.csv (RFC 4180 without quoted fields, which none of its columns needs). */
export function parseAnomaliesCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const [header = '', ...rest] = lines;
  return {
    header: header.split(',').map((h) => h.trim()),
    rows: rest.map((l) => l.split(',').map((c) => c.trim())),
  };
}

export interface AnomalyChecks {
  outcomes: Record<
    Exclude<AnomalyCheckId, 'data_access' | 'charts_exist' | 'charts_labeled'>,
    GradedOutcome
  >;
  summary: AnomalySummary | null;
}

/**
 * The checks judged from summary.json and anomalies.csv (null when the run wrote none) against the
 * oracle of the rows the run read.
 */
export function checkAnomalySummary(
  json: unknown,
  csvText: string | null,
  oracle: AnomalyOracle,
): AnomalyChecks {
  const parsed = AnomalySummarySchema.safeParse(json);
  const summary = parsed.success ? parsed.data : null;
  const s = record(json);
  const raw = record(s.raw_stats);
  const list = Array.isArray(s.anomalies) ? s.anomalies.map(record) : null;
  const flagged = new Set(
    (list ?? []).flatMap((a) => (typeof a.date === 'string' ? [a.date] : [])),
  );
  const right = new Map(oracle.anomalies.map((a) => [a.date, a]));
  const days = new Map(oracle.days.map((d) => [d.date, d]));
  const max = (id: AnomalyCheckId) => ANOMALY_CHECKS.find((c) => c.id === id)!.max;

  // flagged_days: max × F1.
  let flaggedDays: GradedOutcome;
  if (list === null) {
    flaggedDays = { pass: false, earned: 0, detail: 'summary.json has no anomalies list' };
  } else {
    const score = f1(flagged, new Set(right.keys()));
    const earned = Math.round(max('flagged_days') * score);
    const missed = [...right.keys()].filter((d) => !flagged.has(d));
    const extra = [...flagged].filter((d) => !right.has(d));
    flaggedDays = {
      pass: score === 1,
      earned,
      detail: `F1 ${score.toFixed(3)} → ${earned}/${max('flagged_days')} points; flagged ${flagged.size}, oracle ${right.size}${missed.length ? `; missed ${missed.join(', ')}` : ''}${extra.length ? `; not anomalous ${extra.join(', ')}` : ''}`,
    };
  }

  // anomaly_types: over the correctly flagged days.
  const hits = (list ?? []).filter((a) => typeof a.date === 'string' && right.has(a.date));
  const anomalyTypes: CheckOutcome =
    hits.length === 0
      ? right.size === 0 && list !== null && list.length === 0
        ? { pass: true, detail: 'no anomalous day, none reported' }
        : notJudged('no correctly flagged day whose type could be compared')
      : (() => {
          const wrong = hits.filter((a) => a.type !== right.get(a.date as string)!.type);
          return {
            pass: wrong.length === 0,
            detail: wrong.length
              ? `wrong type on ${wrong.map((a) => `${String(a.date)} (${String(a.type)}, oracle ${right.get(a.date as string)!.type})`).join(', ')}`
              : `${hits.length} correctly flagged day(s), each with the right type`,
          };
        })();

  // counts_baselines: every reported day against the oracle's figures for that date.
  let countsBaselines: CheckOutcome;
  if (list === null || list.length === 0) {
    countsBaselines = notJudged('no day reported, so no count or baseline to compare');
  } else {
    const off = list.flatMap((a) => {
      const day = typeof a.date === 'string' ? days.get(a.date) : undefined;
      if (!day || day.baseline === null) return [`${String(a.date)} is not an evaluated day`];
      const problems: string[] = [];
      if (a.count !== day.count) problems.push(`count ${String(a.count)} (oracle ${day.count})`);
      if (!closeTo(a.baseline, day.baseline))
        problems.push(`baseline ${String(a.baseline)} (oracle ${day.baseline})`);
      if (!closeTo(a.ratio, day.ratio))
        problems.push(`ratio ${String(a.ratio)} (oracle ${day.ratio})`);
      return problems.length ? [`${String(a.date)}: ${problems.join(', ')}`] : [];
    });
    countsBaselines = {
      pass: off.length === 0,
      detail: off.length
        ? off.slice(0, 5).join('; ')
        : `${list.length} reported day(s) match the oracle's counts, baselines and ratios`,
    };
  }

  const botIds = Array.isArray(s.bot_ids) ? [...s.bot_ids].map(String).sort() : null;
  const botsRight = botIds !== null && JSON.stringify(botIds) === JSON.stringify(oracle.bot_ids);

  let csv: CheckOutcome;
  if (csvText === null) {
    csv = { pass: false, detail: 'anomalies.csv was not written' };
  } else {
    const { header, rows } = parseAnomaliesCsv(csvText);
    const sameHeader = JSON.stringify(header) === JSON.stringify(ANOMALY_CSV_COLUMNS);
    const csvDays = rows.map((r) => `${r[0]}|${r[1]}|${r[4]}`);
    const summaryDays = (list ?? []).map(
      (a) => `${String(a.date)}|${String(a.count)}|${String(a.type)}`,
    );
    const same = JSON.stringify(csvDays) === JSON.stringify(summaryDays);
    csv = {
      pass: sameHeader && same,
      detail: !sameHeader
        ? `header is "${header.join(',')}", expected "${ANOMALY_CSV_COLUMNS.join(',')}"`
        : same
          ? `${rows.length} row(s), the same days, counts and types as summary.json`
          : `the CSV's ${rows.length} row(s) differ from summary.json's ${summaryDays.length} anomalies`,
    };
  }

  const eq = (field: string, value: number) => raw[field] === value;
  return {
    summary,
    outcomes: {
      summary_valid: parsed.success
        ? { pass: true, detail: 'summary.json matches the schema' }
        : {
            pass: false,
            detail: `summary.json does not match the schema: ${parsed.error.issues
              .slice(0, 3)
              .map((i) => `${i.path.join('.')}: ${i.message}`)
              .join('; ')}`,
          },
      flagged_days: flaggedDays,
      anomaly_types: anomalyTypes,
      counts_baselines: countsBaselines,
      bots: {
        pass: botsRight,
        detail: `reported ${botIds === null ? 'no bot_ids list' : `${botIds.length} bot(s)`}, oracle ${oracle.bot_ids.length}`,
      },
      usable_rows: {
        pass:
          eq('usable_rows', oracle.raw_stats.usable_rows) &&
          eq('bot_rows', oracle.raw_stats.bot_rows),
        detail: `usable_rows ${String(raw.usable_rows)} (oracle ${oracle.raw_stats.usable_rows}), bot_rows ${String(raw.bot_rows)} (oracle ${oracle.raw_stats.bot_rows})`,
      },
      days_evaluated: {
        pass:
          eq('days_evaluated', oracle.raw_stats.days_evaluated) &&
          eq('anomaly_count', oracle.raw_stats.anomaly_count),
        detail: `days_evaluated ${String(raw.days_evaluated)} (oracle ${oracle.raw_stats.days_evaluated}), anomaly_count ${String(raw.anomaly_count)} (oracle ${oracle.raw_stats.anomaly_count})`,
      },
      anomalies_csv: csv,
    },
  };
}
