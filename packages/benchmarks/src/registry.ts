import { abTestBenchmark } from './ab-test-analysis/benchmark.js';
import { retentionBenchmark } from './retention-cohorts/benchmark.js';
import type { AnyBenchmark } from './definition.js';

/** Every benchmark localds knows, in the order the page and `localds benchmarks` list them. Add yours here. */
export const benchmarks: readonly AnyBenchmark[] = [abTestBenchmark, retentionBenchmark];

/** The benchmark a command uses when none is named. */
export const DEFAULT_BENCHMARK_ID = abTestBenchmark.id;

export const BENCHMARK_IDS = benchmarks.map((b) => b.id);

/** The benchmark with this id; throws a message listing the known ids otherwise. */
export function getBenchmark(id: string): AnyBenchmark {
  const found = benchmarks.find((b) => b.id === id);
  if (!found) {
    throw new RangeError(`unknown benchmark "${id}"; known: ${BENCHMARK_IDS.join(', ')}`);
  }
  return found;
}
