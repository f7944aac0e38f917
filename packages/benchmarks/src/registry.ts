import { abTestBenchmark } from './ab-test/benchmark.js';
import type { BenchmarkDefinition } from './definition.js';

/** Every benchmark localds knows, by id. Add new benchmarks here. */
export const benchmarks: readonly BenchmarkDefinition[] = [abTestBenchmark];

export const BENCHMARK_IDS = benchmarks.map((b) => b.id);

/** The benchmark with this id; throws a message listing the known ids otherwise. */
export function getBenchmark(id: string): BenchmarkDefinition {
  const found = benchmarks.find((b) => b.id === id);
  if (!found) {
    throw new RangeError(`unknown benchmark "${id}"; known: ${BENCHMARK_IDS.join(', ')}`);
  }
  return found;
}
