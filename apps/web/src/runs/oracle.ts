import { getBenchmark, type EventRow } from '@localds/benchmarks';
import { computeOracle, oracleRawStats, type Oracle } from '@localds/scorer';
import type { Figures } from '../storage/run-record.js';

/**
 * The embedded dataset of a scenario and its oracle. Generating and computing take a moment for the
 * larger scenarios, so results are kept per (benchmark, scenario, seed) for the page's lifetime.
 */
const cache = new Map<string, { rows: EventRow[]; oracle: Oracle }>();

export function scenarioData(
  benchmarkId: string,
  scenario: string,
  seed: number | null,
): { rows: EventRow[]; oracle: Oracle } {
  const key = `${benchmarkId}|${scenario}|${seed ?? ''}`;
  let hit = cache.get(key);
  if (!hit) {
    const rows = getBenchmark(benchmarkId).dataset.generate(scenario, seed ?? undefined);
    hit = { rows, oracle: computeOracle(rows) };
    cache.set(key, hit);
  }
  return hit;
}

/** The oracle's figures in the shape of summary.json, for side-by-side display. */
export function oracleFigures(oracle: Oracle): Figures {
  return {
    status: oracle.status,
    recommended_variant: oracle.recommended_variant,
    raw_stats: { ...oracleRawStats(oracle) },
  };
}
