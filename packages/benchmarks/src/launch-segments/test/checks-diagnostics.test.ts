import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLaunchSummary, decisionGroundedCheck, LAUNCH_CHECKS } from '../checks.js';
import { launchDiagnostics, type LaunchDiagnosticId } from '../diagnostics.js';
import { computeLaunchOracle, launchDecision, type LaunchOracle } from '../oracle.js';
import { generateLaunchDataset } from '../generator.js';
import { LAUNCH_RAW_STAT_FIELDS } from '../summary.js';

/**
 * Checks and diagnostics as pure functions, on planted mistakes whose wrong figures come from the
 * SciPy/statsmodels fixture generator (fixtures/scenarios/*.json "wrong"), not from the TypeScript.
 */
type Figures = Record<string, number | null | string>;
const fixture = (scenario: string) =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/scenarios/${scenario}.json`, import.meta.url), 'utf8'),
  ) as { wrong: Record<string, Figures> };

function correctSummary(oracle: LaunchOracle): Record<string, unknown> {
  const s = oracle.raw_stats;
  return {
    status: oracle.status,
    direction: oracle.direction,
    recommendation: oracle.recommendation,
    decision: `Within platforms the odds of completion changed by ${s.mh_odds_ratio!.toFixed(3)} (CMH p = ${s.cmh_p_value!.toPrecision(2)}).`,
    raw_stats: { ...s },
  };
}

/** A summary that follows one wrong definition; its decision follows its own figures. */
function planted(
  oracle: LaunchOracle,
  mistake: LaunchDiagnosticId,
  wrong: Record<string, Figures>,
) {
  const summary = correctSummary(oracle);
  const raw = summary.raw_stats as Figures;
  if (mistake === 'rates_as_percent') {
    for (const f of LAUNCH_RAW_STAT_FIELDS)
      if (f.includes('rate')) raw[f] = (raw[f] as number) * 100;
    return summary;
  }
  const figures = wrong[mistake]!;
  for (const [field, value] of Object.entries(figures)) if (field in raw) raw[field] = value;
  const decided =
    mistake === 'pooled_only'
      ? {
          status: figures.recommendation ? 'significant' : 'not_significant',
          direction:
            figures.recommendation === 'keep' ? 'better' : figures.recommendation ? 'worse' : null,
          recommendation: figures.recommendation,
        }
      : launchDecision(raw.mh_odds_ratio as number | null, raw.cmh_p_value as number | null);
  return { ...summary, ...decided };
}

const failing = (summary: unknown, oracle: LaunchOracle) =>
  Object.entries(checkLaunchSummary(summary, oracle).outcomes)
    .filter(([, o]) => !o.pass)
    .map(([id]) => id)
    .sort();

describe('launch-segments checks', () => {
  it('are worth 100 points in 12 checks', () => {
    expect(LAUNCH_CHECKS.reduce((sum, c) => sum + c.max, 0)).toBe(100);
    expect(LAUNCH_CHECKS).toHaveLength(12);
  });

  it.each(['canonical', 'true-gain', 'no-change'])(
    'a correct summary passes every summary check on %s',
    (scenario) => {
      const oracle = computeLaunchOracle(generateLaunchDataset(scenario));
      expect(failing(correctSummary(oracle), oracle)).toEqual([]);
      expect(
        launchDiagnostics({
          rows: generateLaunchDataset(scenario),
          oracle,
          summary: correctSummary(oracle),
        }),
      ).toEqual([]);
    },
  );

  it('rejects a summary that is not the schema, a decision without figures, and rates in percent', () => {
    const oracle = computeLaunchOracle(generateLaunchDataset('canonical'));
    const bad = { ...correctSummary(oracle), status: 'inconclusive' };
    expect(checkLaunchSummary(bad, oracle).outcomes.summary_valid.pass).toBe(false);
    expect(decisionGroundedCheck('The launch hurt completion; roll it back.', oracle).pass).toBe(
      false,
    );
    expect(
      decisionGroundedCheck(`Odds ratio ${oracle.raw_stats.mh_odds_ratio!.toFixed(2)}.`, oracle)
        .pass,
    ).toBe(true);
    const s = oracle.raw_stats;
    expect(
      decisionGroundedCheck(
        `Pooled rate rose to ${(s.pooled_rate_after! * 100).toFixed(1)}%.`,
        oracle,
      ).pass,
    ).toBe(true);
  });

  it('a null figure passes only where the definitions leave it null', () => {
    const rows = generateLaunchDataset('canonical').filter(
      (r) => r.platform !== 'mobile' || r.event !== 'puzzle_started',
    );
    const oracle = computeLaunchOracle(rows);
    expect(oracle.raw_stats.mh_odds_ratio).toBeNull();
    const summary = correctSummary({
      ...oracle,
      raw_stats: { ...oracle.raw_stats, mh_odds_ratio: 1, cmh_p_value: 1 },
    });
    (summary.raw_stats as Figures).mh_odds_ratio = null;
    (summary.raw_stats as Figures).cmh_p_value = null;
    const outcomes = checkLaunchSummary(summary, oracle).outcomes;
    expect(outcomes.mh_odds_ratio.pass).toBe(true);
    expect(outcomes.cmh_p_value.pass).toBe(true);
    (summary.raw_stats as Figures).cmh_p_value = 0.5;
    expect(checkLaunchSummary(summary, oracle).outcomes.cmh_p_value.pass).toBe(false);
  });
});

/** Each planted mistake on canonical: the checks it must lose, and its diagnostic. */
const PLANTED: [LaunchDiagnosticId, string[]][] = [
  ['pooled_only', ['cmh_p_value', 'decision', 'mh_odds_ratio']],
  ['unweighted_mean_of_strata', ['mh_odds_ratio', 'pooled_rates']],
  ['continuity_corrected', ['cmh_p_value', 'pooled_test']],
  [
    'launch_boundary_by_date',
    ['cmh_p_value', 'mh_ci', 'mh_odds_ratio', 'pooled_rates', 'pooled_test', 'segment_rates'],
  ],
  ['session_level_rate', ['pooled_rates', 'segment_rates']],
  ['rates_as_percent', ['pooled_rates', 'segment_rates']],
  [
    'first_page_only',
    [
      'cmh_p_value',
      'decision',
      'decision_grounded',
      'mh_ci',
      'mh_odds_ratio',
      'pooled_rates',
      'pooled_test',
      'segment_rates',
    ],
  ],
];

describe('launch-segments planted mistakes (canonical)', () => {
  const rows = generateLaunchDataset('canonical');
  const oracle = computeLaunchOracle(rows);
  const { wrong } = fixture('canonical');
  it.each(PLANTED)('%s loses exactly its checks and gets its diagnostic', (mistake, lost) => {
    const summary = planted(oracle, mistake, wrong);
    if (mistake === 'first_page_only') summary.decision = 'Not significant.';
    expect(failing(summary, oracle)).toEqual([...lost].sort());
    const diagnostics = launchDiagnostics({ rows, oracle, summary });
    expect(diagnostics.map((d) => d.id)).toContain(mistake);
    // No other mistake is blamed, except percent on top of its own figures.
    const others = new Set(diagnostics.map((d) => d.id));
    others.delete(mistake);
    expect([...others]).toEqual([]);
  });
});
