import { describe, expect, it } from 'vitest';
import { ANOMALY_CHECKS, checkAnomalySummary, type GradedOutcome } from '../checks.js';
import { anomalyDiagnostics, type AnomalyDiagnosticId } from '../diagnostics.js';
import { computeAnomalyOracle, type AnomalyOracle } from '../oracle.js';
import type { Anomaly } from '../summary.js';
import { scenarioFixtures } from './fixtures.js';

/**
 * Checks and diagnostics as pure functions, on planted mistakes whose wrong figures come from the
 * pandas fixture generator (fixtures/scenarios/*.json "wrong"), not from the TypeScript.
 */
interface Brief {
  anomalies: Anomaly[];
  raw_stats: AnomalyOracle['raw_stats'];
  bot_ids: string[];
}

const csvOf = (anomalies: readonly Anomaly[]) =>
  [
    'date,count,baseline,ratio,type',
    ...anomalies.map((a) => `${a.date},${a.count},${a.baseline},${a.ratio ?? ''},${a.type}`),
  ].join('\n');

const summaryOf = (brief: Brief) => ({
  anomalies: brief.anomalies,
  bot_ids: brief.bot_ids,
  raw_stats: brief.raw_stats,
  decision: 'see anomalies',
});

const load = (scenario: string) => {
  const f = scenarioFixtures().find((x) => x.scenario === scenario)!;
  const rows = f.rows();
  return { rows, oracle: computeAnomalyOracle(rows), wrong: f.wrong as Record<string, unknown> };
};

function judge(summary: ReturnType<typeof summaryOf>, oracle: AnomalyOracle) {
  const { outcomes } = checkAnomalySummary(summary, csvOf(summary.anomalies), oracle);
  const failing = Object.entries(outcomes)
    .filter(([, o]) => !o.pass && o.judged !== false)
    .map(([id]) => id)
    .sort();
  return { outcomes, failing };
}

describe('anomaly-days checks', () => {
  it('are worth 100 points in 11 checks', () => {
    expect(ANOMALY_CHECKS.reduce((sum, c) => sum + c.max, 0)).toBe(100);
    expect(ANOMALY_CHECKS).toHaveLength(11);
  });

  it.each(['canonical', 'quiet', 'weekend-trap', 'large-paginated'])(
    'the oracle’s own summary passes on %s, with no diagnostic',
    (scenario) => {
      const { rows, oracle } = load(scenario);
      const summary = summaryOf(oracle);
      const { outcomes, failing } = judge(summary, oracle);
      expect(failing).toEqual([]);
      expect((outcomes.flagged_days as GradedOutcome).earned).toBe(30);
      expect(anomalyDiagnostics({ rows, oracle, summary })).toEqual([]);
    },
  );

  it('flagging everything or nothing does not pay', () => {
    const quiet = load('quiet').oracle;
    const everything = quiet.days
      .filter((d) => d.baseline !== null)
      .map((d) => ({ ...d, baseline: d.baseline!, type: 'spike' as const }));
    expect(
      (
        judge(summaryOf({ ...quiet, anomalies: everything }), quiet).outcomes
          .flagged_days as GradedOutcome
      ).earned,
    ).toBe(0);
    const canonical = load('canonical').oracle;
    const nothing = judge(summaryOf({ ...canonical, anomalies: [] }), canonical);
    expect((nothing.outcomes.flagged_days as GradedOutcome).earned).toBe(0);
    expect(nothing.outcomes.counts_baselines.judged).toBe(false);
    // One of the two right days: F1 = 2/3 → 20 of 30 points.
    const half = judge(
      summaryOf({ ...canonical, anomalies: canonical.anomalies.slice(0, 1) }),
      canonical,
    );
    expect((half.outcomes.flagged_days as GradedOutcome).earned).toBe(20);
  });

  it('anomalies.csv must hold the same days as summary.json', () => {
    const { oracle } = load('canonical');
    const summary = summaryOf(oracle);
    expect(
      checkAnomalySummary(summary, csvOf(oracle.anomalies.slice(1)), oracle).outcomes.anomalies_csv
        .pass,
    ).toBe(false);
    expect(checkAnomalySummary(summary, null, oracle).outcomes.anomalies_csv.pass).toBe(false);
  });
});

describe('anomaly-days planted mistakes', () => {
  const canonical = load('canonical');
  const wrong = canonical.wrong as Record<string, Brief>;

  const cases: [AnomalyDiagnosticId, () => ReturnType<typeof summaryOf>, string[]][] = [
    [
      'bots_included',
      // A run that never looked for bots: none reported, none removed.
      () =>
        summaryOf({
          ...wrong.bots_included!,
          bot_ids: [],
          raw_stats: { ...wrong.bots_included!.raw_stats, bot_rows: 0 },
        }),
      ['bots', 'counts_baselines', 'days_evaluated', 'flagged_days', 'usable_rows'],
    ],
    [
      'all_events_counted',
      () => summaryOf(wrong.all_events_counted!),
      ['counts_baselines', 'usable_rows'],
    ],
    [
      'previous_day_baseline',
      () => summaryOf(wrong.previous_day_baseline!),
      ['counts_baselines', 'days_evaluated', 'flagged_days'],
    ],
    ['mean_baseline', () => summaryOf(wrong.mean_baseline!), ['counts_baselines']],
    [
      'first_page_only',
      () => summaryOf(wrong.first_page_only!),
      ['bots', 'days_evaluated', 'flagged_days', 'usable_rows'],
    ],
  ];
  it.each(cases)('%s loses its checks and gets its diagnostic', (mistake, build, lost) => {
    const summary = build();
    expect(judge(summary, canonical.oracle).failing).toEqual(lost);
    const ids = new Set(
      anomalyDiagnostics({ rows: canonical.rows, oracle: canonical.oracle, summary }).map(
        (d) => d.id,
      ),
    );
    expect([...ids]).toEqual([mistake]);
  });

  it('global_zscore on weekend-trap: the busy weekends flagged, the outage missed', () => {
    const { rows, oracle, wrong: w } = load('weekend-trap');
    const zDays = (w.global_zscore as Record<string, string[]>)['1.5']!;
    const days = new Map(oracle.days.map((d) => [d.date, d]));
    const mean = oracle.days.reduce((s, d) => s + d.count, 0) / oracle.days.length;
    const anomalies = zDays.map((date) => {
      const count = days.get(date)!.count;
      return {
        date,
        count,
        baseline: mean,
        ratio: count / mean - 1,
        type: count > mean ? ('spike' as const) : ('drop' as const),
      };
    });
    const summary = summaryOf({
      ...oracle,
      anomalies,
      raw_stats: { ...oracle.raw_stats, anomaly_count: anomalies.length },
    });
    const { failing, outcomes } = judge(summary, oracle);
    expect(failing).toEqual(expect.arrayContaining(['counts_baselines', 'flagged_days']));
    expect((outcomes.flagged_days as GradedOutcome).earned).toBeLessThan(10);
    const ids = anomalyDiagnostics({ rows, oracle, summary }).map((d) => d.id);
    expect(ids).toContain('global_zscore');
  });
});
