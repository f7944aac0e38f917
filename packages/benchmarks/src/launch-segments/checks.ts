import type { CheckOutcome } from '../segment-types.js';
import type { Stat } from '../segment-types.js';
import type { LaunchOracle } from './oracle.js';
import { LaunchSummarySchema, type LaunchRawStats, type LaunchSummary } from './summary.js';

/**
 * The checks of `launch-segments` (100 points). The ones judged from summary.json against the oracle
 * are pure functions here; `data_access` (every page read, from the trace) and the two chart checks
 * (files written by the run's code, labelled) use the scorer's generic evidence helpers when the
 * benchmark is wired into #11's scoring.
 */
export const LAUNCH_CHECKS = [
  { id: 'summary_valid', label: 'summary.json valid', max: 5 },
  { id: 'data_access', label: 'Every page of rows read from Supabase', max: 15 },
  { id: 'pooled_rates', label: 'Pooled completion rates match oracle', max: 10 },
  { id: 'segment_rates', label: 'Per-platform completion rates match oracle', max: 10 },
  { id: 'pooled_test', label: 'Pooled χ² p-value (no continuity correction)', max: 5 },
  { id: 'mh_odds_ratio', label: 'Mantel–Haenszel odds ratio', max: 5 },
  { id: 'mh_ci', label: 'Odds ratio 95% CI (Robins–Breslow–Greenland)', max: 5 },
  { id: 'cmh_p_value', label: 'CMH p-value (no continuity correction)', max: 10 },
  { id: 'decision', label: 'status, direction and recommendation correct', max: 15 },
  { id: 'charts_exist', label: '2 chart files written by the run', max: 10 },
  { id: 'charts_labeled', label: 'Charts have labels and titles', max: 5 },
  { id: 'decision_grounded', label: 'Decision cites specific figures', max: 5 },
] as const;
export type LaunchCheckId = (typeof LAUNCH_CHECKS)[number]['id'];

/** Tolerances: rates absolute (so a rate in percent fails), the rest relative to the oracle's value. */
export const LAUNCH_TOLERANCES = {
  rate: 0.0005,
  /** p-values: 1% of the value (a continuity correction moves them far more on these sizes), 1e-6 floor. */
  pRelative: 0.01,
  pAbsolute: 1e-6,
  /** Odds ratio and its bounds: 0.1%. */
  ratioRelative: 0.001,
} as const;

const fmt = (x: Stat | undefined): string =>
  x === null || x === undefined ? 'null' : String(Number(x.toPrecision(6)));

type Raw = Partial<Record<keyof LaunchRawStats, unknown>>;

/** One figure against the oracle's: both null passes (the definitions leave it undefined), else within tolerance. */
function figureMatches(
  reported: unknown,
  expected: Stat,
  tolerance: (e: number) => number,
): boolean {
  if (expected === null) return reported === null;
  return typeof reported === 'number' && Math.abs(reported - expected) <= tolerance(expected);
}

function figuresCheck(
  raw: Raw,
  oracle: LaunchOracle,
  fields: readonly (keyof LaunchRawStats)[],
  tolerance: (e: number) => number,
  toleranceWords: string,
): CheckOutcome {
  const wrong = fields.filter((f) => !figureMatches(raw[f], oracle.raw_stats[f], tolerance));
  const listed = fields
    .map(
      (f) =>
        `${f} ${raw[f] === undefined ? 'missing' : fmt(raw[f] as Stat)} (oracle ${fmt(oracle.raw_stats[f])})`,
    )
    .join(', ');
  return {
    pass: wrong.length === 0,
    detail: `${listed}; tolerance ${toleranceWords}${wrong.length ? `; off: ${wrong.join(', ')}` : ''}`,
  };
}

const rate = () => LAUNCH_TOLERANCES.rate;
const pTolerance = (e: number) =>
  Math.max(LAUNCH_TOLERANCES.pRelative * Math.abs(e), LAUNCH_TOLERANCES.pAbsolute);
const ratioTolerance = (e: number) => LAUNCH_TOLERANCES.ratioRelative * Math.abs(e);

/**
 * Numbers a text states, as values it may mean: "0.71" → 0.71, "71%" → 0.71 and 71, "1.2e-5" →
 * 1.2e-5. Only numbers with a decimal point, an exponent or a percent sign count, so "95% CI" or a year
 * does not ground a decision on its own unless it is one of the figures.
 */
function statedNumbers(text: string): { value: number; decimals: number }[] {
  const out: { value: number; decimals: number }[] = [];
  for (const m of text.matchAll(/(-?\d+(?:\.(\d+))?(?:[eE][-+]?\d+)?)\s*(%?)/g)) {
    const literal = m[1]!;
    const decimals = m[2]?.length ?? 0;
    const hasExponent = /[eE]/.test(literal);
    if (decimals === 0 && !hasExponent && m[3] !== '%') continue;
    const value = Number(literal);
    if (!Number.isFinite(value)) continue;
    out.push({ value, decimals: hasExponent ? 20 : decimals });
    if (m[3] === '%') out.push({ value: value / 100, decimals: decimals + 2 });
  }
  return out;
}

/** The decision text states at least one of the oracle's figures, to the precision it is written in. */
export function decisionGroundedCheck(decision: unknown, oracle: LaunchOracle): CheckOutcome {
  if (typeof decision !== 'string' || decision.trim() === '') {
    return { pass: false, detail: 'summary.json has no decision text' };
  }
  const figures = Object.entries(oracle.raw_stats).filter(
    (e): e is [string, number] => e[1] !== null,
  );
  for (const { value, decimals } of statedNumbers(decision)) {
    for (const [field, expected] of figures) {
      // Written to `decimals` places: agrees with the figure rounded there, or within 0.5% of it.
      const halfUnit = decimals >= 20 ? 0 : 0.5 * 10 ** -decimals;
      if (Math.abs(value - expected) <= Math.max(halfUnit + 1e-12, 0.005 * Math.abs(expected))) {
        return {
          pass: true,
          detail: `the decision states ${field} (${fmt(expected)}) as ${value}`,
        };
      }
    }
  }
  return { pass: false, detail: 'the decision text states none of the oracle’s figures' };
}

export interface LaunchSummaryChecks {
  outcomes: Record<
    Exclude<LaunchCheckId, 'data_access' | 'charts_exist' | 'charts_labeled'>,
    CheckOutcome
  >;
  summary: LaunchSummary | null;
}

/** The checks judged from summary.json against the oracle of the rows the run read. */
export function checkLaunchSummary(json: unknown, oracle: LaunchOracle): LaunchSummaryChecks {
  const parsed = LaunchSummarySchema.safeParse(json);
  const summary = parsed.success ? parsed.data : null;
  const objectish =
    typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const raw = (
    typeof objectish.raw_stats === 'object' && objectish.raw_stats !== null
      ? objectish.raw_stats
      : {}
  ) as Raw;
  const decisionRight =
    objectish.status === oracle.status &&
    (objectish.direction ?? null) === oracle.direction &&
    (objectish.recommendation ?? null) === oracle.recommendation;
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
      pooled_rates: figuresCheck(
        raw,
        oracle,
        ['pooled_rate_before', 'pooled_rate_after'],
        rate,
        `±${LAUNCH_TOLERANCES.rate}`,
      ),
      segment_rates: figuresCheck(
        raw,
        oracle,
        ['rate_before_mobile', 'rate_after_mobile', 'rate_before_desktop', 'rate_after_desktop'],
        rate,
        `±${LAUNCH_TOLERANCES.rate}`,
      ),
      pooled_test: figuresCheck(raw, oracle, ['pooled_p_value'], pTolerance, '1% relative'),
      mh_odds_ratio: figuresCheck(raw, oracle, ['mh_odds_ratio'], ratioTolerance, '0.1% relative'),
      mh_ci: figuresCheck(
        raw,
        oracle,
        ['mh_ci_low', 'mh_ci_high'],
        ratioTolerance,
        '0.1% relative',
      ),
      cmh_p_value: figuresCheck(raw, oracle, ['cmh_p_value'], pTolerance, '1% relative'),
      decision: {
        pass: decisionRight,
        detail: `got ${String(objectish.status)}/${String(objectish.direction ?? null)}/${String(objectish.recommendation ?? null)}, oracle ${oracle.status}/${oracle.direction}/${oracle.recommendation}`,
      },
      decision_grounded: decisionGroundedCheck(objectish.decision, oracle),
    },
  };
}
