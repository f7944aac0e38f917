/**
 * The oracle of `retention-cohorts`: every figure the checks compare against, computed from raw
 * event rows with exactly the definitions (see ./definitions.ts and the task text). Pure
 * and isomorphic, so the page and Node score with the same code. Statistics come from the scorer's
 * tested helpers (the same SciPy-checked z-test and χ² the A/B benchmark uses).
 */
import type { RetentionRow as EventRow } from './events.js';
import {
  evenSplitChiSquare,
  normalInverseCdf,
  statResult,
  twoProportionZTest,
  type Stat,
} from './scorer-link.js';
import { isoDate, mondayOnOrBefore } from './days.js';
import { RETENTION_ID, RETENTION_VERSION } from './identity.js';
import {
  retentionDefinitions,
  VARIANTS,
  type RetentionDefinitions,
  type Variant,
} from './definitions.js';
import {
  HORIZON_KEYS,
  type CohortRow,
  type CurvePoint,
  type HorizonKey,
  type RetentionOracle,
  type VariantRetention,
} from './oracle-types.js';
import { playerTable, type PlayerActivity } from './players.js';

export interface RetentionIdentity {
  id: string;
  version: string;
}

/** Stamped on oracles when the caller does not name the benchmark (the definition passes its own). */
export const RETENTION_BENCHMARK: RetentionIdentity = {
  id: RETENTION_ID,
  version: RETENTION_VERSION,
};

type Reasons = RetentionOracle['undefined_reasons'];

/** Eligible and retained counts at day k for a set of players, against the data end. */
export function retainedAt(
  players: readonly PlayerActivity[],
  k: number,
  dataEnd: number,
): { eligible: number; retained: number } {
  let eligible = 0;
  let retained = 0;
  for (const p of players) {
    if (p.day0 + k > dataEnd) continue;
    eligible++;
    // days is sorted and short (one entry per active day), so a linear scan is as quick as a set.
    if (p.days.includes(p.day0 + k)) retained++;
  }
  return { eligible, retained };
}

const share = (retained: number, eligible: number): Stat =>
  eligible === 0 ? null : retained / eligible;

function variantRetention(
  label: Variant,
  players: readonly PlayerActivity[],
  dataEnd: number | null,
  horizons: readonly number[],
  reasons: Reasons,
): VariantRetention {
  const eligible = {} as Record<HorizonKey, number>;
  const retained = {} as Record<HorizonKey, number>;
  const retention = {} as Record<HorizonKey, Stat>;
  HORIZON_KEYS.forEach((key, i) => {
    const counts =
      dataEnd === null ? { eligible: 0, retained: 0 } : retainedAt(players, horizons[i]!, dataEnd);
    eligible[key] = counts.eligible;
    retained[key] = counts.retained;
    retention[key] = share(counts.retained, counts.eligible);
    if (retention[key] === null) {
      reasons[`${key}_retention_${label.toLowerCase()}`] =
        `no player of variant ${label} is eligible for ${key.toUpperCase()} (day 0 + ${horizons[i]} is after the data end for all of them)`;
    }
  });
  return { players: players.length, eligible, retained, retention };
}

/** D1, D7 and D14 of every weekly cohort and variant with at least one player, sorted by cohort then variant. */
function cohortTable(
  byVariant: Record<Variant, readonly PlayerActivity[]>,
  dataEnd: number | null,
  horizons: readonly number[],
): CohortRow[] {
  if (dataEnd === null) return [];
  const cells = new Map<string, PlayerActivity[]>();
  for (const variant of VARIANTS) {
    for (const p of byVariant[variant]) {
      const key = `${isoDate(mondayOnOrBefore(p.day0))}|${variant}`;
      const cell = cells.get(key);
      if (cell) cell.push(p);
      else cells.set(key, [p]);
    }
  }
  return [...cells.keys()].sort().map((key) => {
    const [cohort, variant] = key.split('|') as [string, Variant];
    const players = cells.get(key)!;
    const [d1, d7, d14] = horizons.map((k) => {
      const { eligible, retained } = retainedAt(players, k, dataEnd);
      return share(retained, eligible);
    });
    return { cohort_monday: cohort, variant, players: players.length, d1: d1!, d7: d7!, d14: d14! };
  });
}

function retentionCurve(
  byVariant: Record<Variant, readonly PlayerActivity[]>,
  dataEnd: number | null,
  lastDay: number,
): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (let day = 0; day <= lastDay; day++) {
    const [a, b] = VARIANTS.map((v) =>
      dataEnd === null ? { eligible: 0, retained: 0 } : retainedAt(byVariant[v], day, dataEnd),
    );
    points.push({
      day,
      eligible_a: a!.eligible,
      eligible_b: b!.eligible,
      retention_a: share(a!.retained, a!.eligible),
      retention_b: share(b!.retained, b!.eligible),
    });
  }
  return points;
}

/**
 * D7 retention B − A with its Wald interval: unpooled standard error, z = Φ⁻¹(0.5 + level/2). Defined
 * whenever both variants have an eligible player (zero width when both rates are 0 or 1).
 */
export function waldDifference(
  a: { retained: number; eligible: number },
  b: { retained: number; eligible: number },
  ciLevel: number,
): {
  diff: Stat;
  low: Stat;
  high: Stat;
  reasons: Partial<Record<'diff' | 'low' | 'high', string>>;
} {
  const empty = a.eligible === 0 ? 'A' : b.eligible === 0 ? 'B' : null;
  if (empty) {
    const r = statResult(
      { diff: null, low: null, high: null },
      {},
      `no player of variant ${empty} is eligible for D7, so the difference is undefined`,
    );
    return { ...r.values, reasons: r.reasons };
  }
  const pa = a.retained / a.eligible;
  const pb = b.retained / b.eligible;
  const diff = pb - pa;
  const half =
    normalInverseCdf(0.5 + ciLevel / 2) *
    Math.sqrt((pa * (1 - pa)) / a.eligible + (pb * (1 - pb)) / b.eligible);
  const r = statResult(
    { diff, low: diff - half, high: diff + half },
    {},
    'the interval is not finite',
  );
  return { ...r.values, reasons: r.reasons };
}

const fmt = (x: number): string => x.toPrecision(3);

/** The decision rule, literally: SRM p < srmAlpha → inconclusive; D7 p < alpha → significant; else not. */
export function decideRetention(
  stats: Pick<RetentionOracle, 'srm_p_value' | 'd7_p_value' | 'd7_retention_a' | 'd7_retention_b'>,
  definitions: RetentionDefinitions,
  reasons: Reasons,
): Pick<RetentionOracle, 'status' | 'recommended_variant' | 'decision_reasons'> {
  const { alpha, srmAlpha } = definitions;
  const srm = stats.srm_p_value;
  if (srm !== null && srm < srmAlpha) {
    return {
      status: 'inconclusive',
      recommended_variant: null,
      decision_reasons: [
        `sample ratio mismatch: SRM p = ${fmt(srm)} < ${srmAlpha}, so the split is not trustworthy`,
      ],
    };
  }
  const srmLine =
    srm === null
      ? `SRM cannot be tested (${reasons.srm_p_value ?? 'no players'}); it does not make the result inconclusive`
      : `no sample ratio mismatch (SRM p = ${fmt(srm)} ≥ ${srmAlpha})`;
  const { d7_p_value: p, d7_retention_a: ra, d7_retention_b: rb } = stats;
  if (p === null || ra === null || rb === null) {
    return {
      status: 'not_significant',
      recommended_variant: null,
      decision_reasons: [
        srmLine,
        `the D7 test is undefined (${reasons.d7_p_value ?? 'no eligible players'}), so not significant`,
      ],
    };
  }
  if (p >= alpha) {
    return {
      status: 'not_significant',
      recommended_variant: null,
      decision_reasons: [
        srmLine,
        `D7 z-test p = ${fmt(p)} ≥ ${alpha}: no significant difference in D7 retention`,
      ],
    };
  }
  const winner: Variant = rb > ra ? 'B' : 'A';
  return {
    status: 'significant',
    recommended_variant: winner,
    decision_reasons: [
      srmLine,
      `D7 z-test p = ${fmt(p)} < ${alpha}: variant ${winner} retains more at D7 (${fmt(winner === 'B' ? rb : ra)} vs ${fmt(winner === 'B' ? ra : rb)})`,
    ],
  };
}

export function computeRetentionOracle(
  rows: readonly EventRow[],
  definitions: RetentionDefinitions = retentionDefinitions,
  benchmark: RetentionIdentity = RETENTION_BENCHMARK,
): RetentionOracle {
  const table = playerTable(rows);
  const reasons: Reasons = {};
  const byVariant: Record<Variant, PlayerActivity[]> = { A: [], B: [] };
  for (const p of table.players) if (p.variant) byVariant[p.variant].push(p);
  const horizons = definitions.horizons;
  const A = variantRetention('A', byVariant.A, table.dataEnd, horizons, reasons);
  const B = variantRetention('B', byVariant.B, table.dataEnd, horizons, reasons);

  const primary = HORIZON_KEYS[horizons.indexOf(definitions.primaryHorizon)]!;
  const a7 = { successes: A.retained[primary], trials: A.eligible[primary] };
  const b7 = { successes: B.retained[primary], trials: B.eligible[primary] };
  const z = twoProportionZTest(a7, b7, {
    successes: 'players retained at D7',
    trials: 'players eligible for D7',
  });
  if (z.reasons.z) reasons.d7_z = z.reasons.z;
  if (z.reasons.p) reasons.d7_p_value = z.reasons.p;
  const wald = waldDifference(
    { retained: a7.successes, eligible: a7.trials },
    { retained: b7.successes, eligible: b7.trials },
    definitions.ciLevel,
  );
  if (wald.reasons.diff) reasons.d7_diff = wald.reasons.diff;
  if (wald.reasons.low) reasons.d7_diff_ci_low = wald.reasons.low;
  if (wald.reasons.high) reasons.d7_diff_ci_high = wald.reasons.high;
  const srm = evenSplitChiSquare(A.players, B.players, 'non-mixed players');
  if (srm.reasons.chi2) reasons.srm_chi2 = srm.reasons.chi2;
  if (srm.reasons.p) reasons.srm_p_value = srm.reasons.p;

  const stats = {
    d1_retention_a: A.retention.d1,
    d1_retention_b: B.retention.d1,
    d7_retention_a: A.retention.d7,
    d7_retention_b: B.retention.d7,
    d14_retention_a: A.retention.d14,
    d14_retention_b: B.retention.d14,
    d7_eligible_a: A.eligible.d7,
    d7_eligible_b: B.eligible.d7,
    d7_p_value: z.values.p,
    d7_diff_ci_low: wald.low,
    d7_diff_ci_high: wald.high,
    srm_p_value: srm.values.p,
    mixed_players: table.mixedPlayers,
  };
  const rowsExcluded =
    table.excluded.null_variant + table.excluded.unknown_variant + table.excluded.null_player;
  return {
    benchmark: benchmark.id,
    benchmark_version: benchmark.version,
    rows_total: table.rowsTotal,
    rows_used: table.rowsTotal - rowsExcluded,
    rows_excluded: rowsExcluded,
    excluded: table.excluded,
    unknown_variants: table.unknownVariants,
    first_day: table.firstDay === null ? null : isoDate(table.firstDay),
    data_end: table.dataEnd === null ? null : isoDate(table.dataEnd),
    variants: { A, B },
    ...stats,
    ci_level: definitions.ciLevel,
    d7_z: z.values.z,
    d7_diff: wald.diff,
    srm_chi2: srm.values.chi2,
    curve: retentionCurve(byVariant, table.dataEnd, definitions.curveDays),
    cohort_table: cohortTable(byVariant, table.dataEnd, horizons),
    ...decideRetention(stats, definitions, reasons),
    undefined_reasons: reasons,
  };
}
