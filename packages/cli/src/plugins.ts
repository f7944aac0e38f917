import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerBenchmark, type AnyBenchmark } from '@localds/benchmarks';

/**
 * Benchmarks from outside the repository: LOCALDS_BENCHMARKS names modules (separated by commas), each
 * exporting a definition made with `defineBenchmark` as its default export or a `benchmarks` array.
 * Loaded before the commands are built, so `--benchmark` and `localds benchmarks` see them.
 */
export async function loadBenchmarkPlugins(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const list =
    env.LOCALDS_BENCHMARKS?.split(',')
      .map((p) => p.trim())
      .filter(Boolean) ?? [];
  for (const path of list) {
    let module: { default?: unknown; benchmarks?: unknown };
    try {
      module = (await import(pathToFileURL(resolve(path)).href)) as typeof module;
    } catch (error) {
      throw new Error(`LOCALDS_BENCHMARKS: cannot load ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const found = Array.isArray(module.benchmarks) ? module.benchmarks : [module.default];
    if (!found.length || found.some((b) => b === undefined)) {
      throw new Error(
        `LOCALDS_BENCHMARKS: ${path} exports no benchmark (a default export or a \`benchmarks\` array)`,
      );
    }
    try {
      for (const benchmark of found) registerBenchmark(benchmark as AnyBenchmark);
    } catch (error) {
      throw new Error(`LOCALDS_BENCHMARKS: ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
}
