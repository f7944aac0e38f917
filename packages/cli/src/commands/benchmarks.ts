import { benchmarks, type AnyBenchmark } from '@localds/benchmarks';
import { Option, type Command } from 'commander';

const FORMATS = ['json', 'text'] as const;
type Format = (typeof FORMATS)[number];

/** What `localds benchmarks` tells about one benchmark: enough to pick one and know what it asks. */
export function describeBenchmark(b: AnyBenchmark) {
  return {
    id: b.id,
    version: b.version,
    title: b.title,
    suite: b.suite ?? null,
    description: b.description,
    table: b.dataAccess.table,
    scenarios: b.dataset.scenarios.map((name) => ({
      name,
      default: name === b.dataset.defaultScenario,
      description: b.dataset.scenarioDescriptions?.[name] ?? null,
    })),
    required_outputs: b.requiredOutputs.map(({ file, kind, description }) => ({
      file,
      kind,
      description,
    })),
    checks: b.scoring.checks.map(({ id, label, max }) => ({ id, label, max })),
    python_packages: b.pythonPackages,
  };
}

function text(b: ReturnType<typeof describeBenchmark>): string {
  const scenarios = b.scenarios.map((s) => `${s.name}${s.default ? ' (default)' : ''}`);
  return [
    `${b.id} ${b.version} — ${b.title}${b.suite ? ` [suite ${b.suite}]` : ''}`,
    `  scenarios: ${scenarios.join(', ')}`,
    `  outputs:   ${b.required_outputs.map((o) => o.file).join(', ')}`,
    `  checks:    ${b.checks.length} (${b.checks.reduce((n, c) => n + c.max, 0)} points)`,
  ].join('\n');
}

/** `localds benchmarks`: every registered benchmark with its version, scenarios and outputs. */
export function registerBenchmarks(program: Command): void {
  program
    .command('benchmarks')
    .description('List the benchmarks: id, version, title, scenarios and required outputs.')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .action((opts: { format: Format }) => {
      const described = benchmarks.map(describeBenchmark);
      process.stdout.write(
        opts.format === 'json'
          ? `${JSON.stringify(described, null, 2)}\n`
          : `${described.map(text).join('\n\n')}\n`,
      );
    });
}
