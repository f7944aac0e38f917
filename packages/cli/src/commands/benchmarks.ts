import {
  benchmarks,
  VISUAL_CHECKS,
  visualBenchmarks,
  type AnyBenchmark,
  type VisualBenchmark,
} from '@localds/benchmarks';
import { Option, type Command } from 'commander';

const FORMATS = ['json', 'text'] as const;
type Format = (typeof FORMATS)[number];

/** What `localds benchmarks` tells about one benchmark: enough to pick one and know what it asks. */
export function describeBenchmark(b: AnyBenchmark) {
  return {
    kind: 'analysis' as const,
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

/** What `localds benchmarks` tells about a visual benchmark: no dataset; the file's limits, turns and checks. */
export function describeVisualBenchmark(b: VisualBenchmark) {
  return {
    kind: 'visual' as const,
    id: b.id,
    version: b.version,
    title: b.title,
    suite: b.suite ?? null,
    description: b.description,
    requirements: b.requirements.map(({ id, label }) => ({ id, label })),
    limits: { max_file_bytes: b.limits.maxFileBytes, render_budget_ms: b.limits.renderBudgetMs },
    turns: { default: b.turns.default, max: b.turns.max },
    checks: VISUAL_CHECKS.map(({ id, label, max }) => ({ id, label, max })),
  };
}

function visualText(b: ReturnType<typeof describeVisualBenchmark>): string {
  return [
    `${b.id} ${b.version} — ${b.title} [visual${b.suite ? `, suite ${b.suite}` : ''}]`,
    `  output:    one index.html (at most ${b.limits.max_file_bytes.toLocaleString('en')} bytes), ${b.turns.default} turn(s) by default`,
    `  checks:    ${b.checks.length} (${b.checks.reduce((n, c) => n + c.max, 0)} points)`,
  ].join('\n');
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
    .description(
      'List the benchmarks of both kinds: notebook analyses (id, version, title, scenarios, required outputs) and visual ones (one HTML file).',
    )
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .action((opts: { format: Format }) => {
      const analyses = benchmarks.map(describeBenchmark);
      const visual = visualBenchmarks.map(describeVisualBenchmark);
      process.stdout.write(
        opts.format === 'json'
          ? `${JSON.stringify([...analyses, ...visual], null, 2)}\n`
          : `${[...analyses.map(text), ...visual.map(visualText)].join('\n\n')}\n`,
      );
    });
}
