import type { AnyBenchmark } from '@localds/benchmarks';
import type { DataRow } from '@localds/scorer';

/**
 * The embedded dataset of a benchmark's scenario and its oracle. Generating and computing take a moment
 * for the larger scenarios, so results are kept per (benchmark, scenario, seed) for the page's lifetime.
 */
const cache = new Map<string, { rows: DataRow[]; oracle: unknown }>();

export function scenarioData(
  benchmark: AnyBenchmark,
  scenario: string,
  seed: number | null,
): { rows: DataRow[]; oracle: unknown } {
  const key = `${benchmark.id}|${scenario}|${seed ?? ''}`;
  let hit = cache.get(key);
  if (!hit) {
    const rows = benchmark.dataset.generate(scenario, seed ?? undefined);
    hit = { rows, oracle: benchmark.scoring.computeOracle(rows) };
    cache.set(key, hit);
  }
  return hit;
}
