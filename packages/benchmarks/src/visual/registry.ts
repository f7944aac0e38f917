import { cherryBlossomsBenchmark } from './cherry-blossoms/benchmark.js';
import type { VisualBenchmark } from './definition.js';
import { oceanSunsetBenchmark } from './ocean-sunset/benchmark.js';
import { snowGlobeBenchmark } from './snow-globe/benchmark.js';
import { solarSystemBenchmark } from './solar-system/benchmark.js';
import { wildflowerMeadowBenchmark } from './wildflower-meadow/benchmark.js';

/** Every visual benchmark, in the order the page and `localds benchmarks` list them. */
export const visualBenchmarks: VisualBenchmark[] = [
  cherryBlossomsBenchmark,
  solarSystemBenchmark,
  oceanSunsetBenchmark,
  snowGlobeBenchmark,
  wildflowerMeadowBenchmark,
];

export const VISUAL_BENCHMARK_IDS: string[] = visualBenchmarks.map((b) => b.id);

/** The visual benchmark with this id, or undefined. */
export function findVisualBenchmark(id: string): VisualBenchmark | undefined {
  return visualBenchmarks.find((b) => b.id === id);
}

/** The visual benchmark with this id; throws a message listing the known ids otherwise. */
export function getVisualBenchmark(id: string): VisualBenchmark {
  const found = findVisualBenchmark(id);
  if (!found) {
    throw new RangeError(
      `unknown visual benchmark "${id}"; known: ${VISUAL_BENCHMARK_IDS.join(', ')}`,
    );
  }
  return found;
}
