import { abTestBenchmark } from './ab-test-analysis/benchmark.js';
import { retentionBenchmark } from './retention-cohorts/benchmark.js';
import { launchSegmentsBenchmark } from './launch-segments/benchmark.js';
import { anomalyDaysBenchmark } from './anomaly-days/benchmark.js';
import { BenchmarkDefinitionSchema, type AnyBenchmark } from './definition.js';

/**
 * Every benchmark localds knows, in the order the page and `localds benchmarks` list them. Add yours
 * here (one line), or load it as a plugin: `registerBenchmark` (the CLI and the page's build do that for
 * the modules named in LOCALDS_BENCHMARKS).
 */
export const benchmarks: AnyBenchmark[] = [
  abTestBenchmark,
  retentionBenchmark,
  launchSegmentsBenchmark as AnyBenchmark,
  anomalyDaysBenchmark as AnyBenchmark,
];

/** The benchmark a command uses when none is named. */
export const DEFAULT_BENCHMARK_ID = abTestBenchmark.id;

/** The registered ids, kept in step with `benchmarks`. */
export const BENCHMARK_IDS: string[] = benchmarks.map((b) => b.id);

/** The benchmark with this id; throws a message listing the known ids otherwise. */
export function getBenchmark(id: string): AnyBenchmark {
  const found = benchmarks.find((b) => b.id === id);
  if (!found) {
    throw new RangeError(`unknown benchmark "${id}"; known: ${BENCHMARK_IDS.join(', ')}`);
  }
  return found;
}

/**
 * Adds a benchmark defined outside this package (a plugin). It must be a definition made with
 * `defineBenchmark` whose id no registered benchmark has; registering the same object twice is a no-op.
 */
export function registerBenchmark(definition: AnyBenchmark): void {
  if (benchmarks.includes(definition)) return;
  const parsed = BenchmarkDefinitionSchema.safeParse(definition);
  if (!parsed.success) {
    throw new TypeError(
      `not a benchmark definition: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  }
  if (BENCHMARK_IDS.includes(definition.id)) {
    throw new RangeError(`a benchmark "${definition.id}" is already registered`);
  }
  benchmarks.push(definition);
  BENCHMARK_IDS.push(definition.id);
}

/** The suites the registered benchmarks name, in first-seen order. */
export function suiteIds(): string[] {
  return [...new Set(benchmarks.flatMap((b) => (b.suite ? [b.suite] : [])))];
}

/** A suite's benchmarks, in registry order; throws a message listing the suites for an unknown one. */
export function suiteMembers(suite: string): AnyBenchmark[] {
  const members = benchmarks.filter((b) => b.suite === suite);
  if (!members.length) {
    throw new RangeError(`unknown suite "${suite}"; known: ${suiteIds().join(', ') || '(none)'}`);
  }
  return members;
}
