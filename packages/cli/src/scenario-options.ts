import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  BENCHMARK_IDS,
  benchmarks,
  DEFAULT_BENCHMARK_ID,
  getBenchmark,
  type AnyBenchmark,
} from '@localds/benchmarks';
import type { DataRow } from '@localds/scorer';
import { z } from 'zod';

const MAX_SEED = 0xffffffff;

/** Parses `--seed`: a whole number the generator accepts, with a message that says which. */
export function parseSeed(text: string): number {
  const seed = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(seed) || seed > MAX_SEED) {
    throw new InvalidArgumentError(`must be an integer from 0 to ${MAX_SEED}, got "${text}".`);
  }
  return seed;
}

/**
 * `--benchmark`, the same on every command that works on one benchmark; `alsoIds` adds ids of another
 * kind (`localds run` also takes the visual benchmarks).
 */
export function benchmarkOption(alsoIds: readonly string[] = []): Option {
  return new Option('--benchmark <id>', 'benchmark')
    .choices([...BENCHMARK_IDS, ...alsoIds])
    .default(DEFAULT_BENCHMARK_ID);
}

/** Each benchmark's scenarios for `--help`, one line per scenario. */
export function scenariosHelp(): string {
  return benchmarks
    .map((b) => {
      const lines = b.dataset.scenarios.map((name) => {
        const mark = name === b.dataset.defaultScenario ? ' (default)' : '';
        const description = b.dataset.scenarioDescriptions?.[name] ?? '';
        return `  ${name.padEnd(17)} ${description}${mark}`;
      });
      return `Scenarios of ${b.id}:\n${lines.join('\n')}`;
    })
    .join('\n\n');
}

/**
 * Adds `--benchmark`, `--scenario` and `--seed`, the same way on every command that generates a
 * dataset. The scenario is checked against the chosen benchmark's scenarios (selectionFromOptions).
 */
export function addScenarioOptions(cmd: Command, alsoIds: readonly string[] = []): Command {
  return cmd
    .addOption(benchmarkOption(alsoIds))
    .addOption(
      new Option('--scenario <name>', "dataset scenario (default: the benchmark's default)"),
    )
    .addOption(
      new Option('--seed <n>', "integer seed; overrides the scenario's default seed").argParser(
        parseSeed,
      ),
    );
}

const SelectionOptionsSchema = z.object({
  benchmark: z.string().default(DEFAULT_BENCHMARK_ID),
  scenario: z.string().optional(),
  seed: z.number().int().min(0).max(MAX_SEED).optional(),
});

/** A benchmark, one of its scenarios, and the seed that makes its rows (the scenario's default if none). */
export interface ScenarioSelection {
  benchmark: AnyBenchmark;
  scenario: string;
  seed: number;
  /** Whether `--seed` was given (the scenario's default seed otherwise). */
  seedGiven: boolean;
}

/** The chosen benchmark, scenario and seed, validated (options may come from code as well as commander). */
export function selectionFromOptions(opts: unknown): ScenarioSelection {
  const parsed = SelectionOptionsSchema.safeParse(opts);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid scenario options: ${problems.join('; ')}`);
  }
  const benchmark = getBenchmark(parsed.data.benchmark);
  const { scenarios, defaultScenario } = benchmark.dataset;
  const scenario = parsed.data.scenario ?? defaultScenario;
  if (!scenarios.includes(scenario)) {
    throw new Error(
      `--scenario "${scenario}" is not a scenario of ${benchmark.id}; its scenarios: ${scenarios.join(', ')}`,
    );
  }
  const seed = parsed.data.seed ?? benchmark.dataset.defaultSeedOf(scenario);
  return { benchmark, scenario, seed, seedGiven: parsed.data.seed !== undefined };
}

/** The rows of the benchmark, scenario and seed the options select. */
export function rowsFromOptions(opts: unknown): DataRow[] {
  const { benchmark, scenario, seed } = selectionFromOptions(opts);
  return benchmark.dataset.generate(scenario, seed);
}
