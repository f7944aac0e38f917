import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  DEFAULT_SCENARIO,
  SCENARIO_NAMES,
  ScenarioSelectionSchema,
  generateDataset,
  type EventRow,
  type ScenarioSelection,
} from '@localds/benchmarks';

const MAX_SEED = 0xffffffff;

/** Parses `--seed`: a whole number the generator accepts, with a message that says which. */
export function parseSeed(text: string): number {
  const seed = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(seed) || seed > MAX_SEED) {
    throw new InvalidArgumentError(`must be an integer from 0 to ${MAX_SEED}, got "${text}".`);
  }
  return seed;
}

/** Adds `--scenario` and `--seed`, the same way on every command that generates a dataset. */
export function addScenarioOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--scenario <name>', 'dataset scenario')
        .choices(SCENARIO_NAMES)
        .default(DEFAULT_SCENARIO),
    )
    .addOption(
      new Option('--seed <n>', "integer seed; overrides the scenario's default seed").argParser(
        parseSeed,
      ),
    );
}

/** The chosen scenario and seed, validated (options may come from code as well as from commander). */
export function scenarioFromOptions(opts: unknown): ScenarioSelection {
  const result = ScenarioSelectionSchema.safeParse(opts);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid scenario options: ${problems.join('; ')}`);
  }
  return result.data;
}

/** The rows of the scenario and seed the options select. */
export function rowsFromScenarioOptions(opts: unknown): EventRow[] {
  const { scenario, seed } = scenarioFromOptions(opts);
  return generateDataset(scenario, seed);
}
