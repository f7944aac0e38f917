// Every registered benchmark, with no edit here when one is added: for each of its scenarios, the time
// to generate the rows and to compute the oracle, each against parsing the same rows' JSON (what any
// consumer of the data pays at least), measured in the same run.
import { performance } from 'node:perf_hooks';
import { benchmarks, tableOf, toJson } from '@localds/benchmarks';
import { median } from './measure.mjs';

/** The median of five timed calls (the first warms the JIT like the others; the median drops GC spikes). */
function time(fn) {
  const times = [];
  let value;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    value = fn();
    times.push(performance.now() - start);
  }
  return { ms: median(times), value };
}

const ratio = (a, b) => `${(a / Math.max(b, 0.01)).toFixed(2)}×`;

export const benchmarksBench = {
  title: 'Each benchmark: generating a scenario and computing its oracle, against parsing its rows',
  async run() {
    const lines = [];
    for (const benchmark of benchmarks) {
      for (const scenario of benchmark.dataset.scenarios) {
        const generated = time(() => benchmark.dataset.generate(scenario));
        const text = toJson(generated.value, tableOf(benchmark));
        const parsed = time(() => JSON.parse(text));
        const oracle = time(() => benchmark.scoring.computeOracle(parsed.value));
        lines.push(
          `${benchmark.id} ${scenario}: ${generated.value.length} rows; parse ${parsed.ms.toFixed(1)} ms; ` +
            `generate ${ratio(generated.ms, parsed.ms)}, oracle ${ratio(oracle.ms, parsed.ms)} of the parse`,
        );
      }
    }
    return lines;
  },
};
