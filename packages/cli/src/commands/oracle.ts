import { readFile } from 'node:fs/promises';
import type { AnyBenchmark } from '@localds/benchmarks';
import type { DataRow } from '@localds/scorer';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { addScenarioOptions, scenariosHelp, selectionFromOptions } from '../scenario-options.js';

const FORMATS = ['json', 'text'] as const;
type Format = (typeof FORMATS)[number];

interface OracleOptions {
  data?: string;
  format: Format;
  [scenarioOption: string]: unknown;
}

/** How many schema problems to list before summarising the rest. */
const MAX_PROBLEMS = 5;

/**
 * Reads a rows file and validates it with the benchmark's row schema (a column it does not declare is an
 * error, never dropped); the error names the file, the row (and its id) and the field.
 */
export async function readRowsFile(file: string, benchmark: AnyBenchmark): Promise<DataRow[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read --data ${file}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`--data ${file} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = z.array(benchmark.scoring.rowSchema).safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const problems = issues.slice(0, MAX_PROBLEMS).map((issue) => {
    const [index, field] = issue.path;
    if (typeof index !== 'number')
      return `the file must hold a JSON array of ${benchmark.dataAccess.table} rows (${issue.message})`;
    const row = Array.isArray(json) ? (json[index] as { id?: unknown } | undefined) : undefined;
    const id =
      row && typeof row === 'object' && 'id' in row ? ` (id ${JSON.stringify(row.id)})` : '';
    const where = field === undefined ? '' : ` field "${String(field)}"`;
    return `row ${index}${id}${where}: ${issue.message}`;
  });
  const more = issues.length > MAX_PROBLEMS ? `; and ${issues.length - MAX_PROBLEMS} more` : '';
  throw new Error(
    `--data ${file} is not a list of ${benchmark.dataAccess.table} rows: ${problems.join('; ')}${more}`,
  );
}

/** Numbers as a reader wants them: counts whole, tiny or huge values in exponent form, null spelled out. */
function show(value: number | null): string {
  if (value === null) return 'null';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const size = Math.abs(value);
  return size !== 0 && (size < 1e-4 || size >= 1e6)
    ? value.toExponential(4)
    : String(Number(value.toPrecision(6)));
}

/** A benchmark's oracle as text: its own report where it has one, else its headline figures aligned. */
export function oracleText(benchmark: AnyBenchmark, oracle: unknown, source: string): string {
  if (benchmark.oracleText) return benchmark.oracleText(oracle, source);
  const { decision, raw_stats } = benchmark.figures.ofOracle(oracle);
  const rows: [string, string][] = [
    ...Object.entries(decision).map(([k, v]): [string, string] => [k, v ?? 'null']),
    ...Object.entries(raw_stats).map(([k, v]): [string, string] => [k, show(v)]),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`);
  return `oracle for ${benchmark.id} ${benchmark.version}: ${source}\n${lines.join('\n')}\n`;
}

/** `localds oracle`: every statistic of the benchmark computed from rows, with the decision. */
export function registerOracle(program: Command): void {
  const cmd = program
    .command('oracle')
    .description(
      "Compute a benchmark's oracle (the right answer) from its rows: every statistic and the decision.",
    )
    .addOption(
      new Option(
        '--data <file>',
        "JSON array of the benchmark's rows (as the REST API returns them)",
      ).conflicts(['scenario', 'seed']),
    );
  addScenarioOptions(cmd)
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('json'))
    .addHelpText(
      'after',
      `
Without --data the rows are generated from --scenario (default: the benchmark's default) and --seed.

${scenariosHelp()}

Examples:
  localds oracle --format text
  localds oracle --scenario srm --seed 7
  localds oracle --data rows.json --format text`,
    )
    .action(async (opts: OracleOptions) => {
      const selection = selectionFromOptions(opts);
      const { benchmark } = selection;
      let rows: DataRow[];
      let source: string;
      if (opts.data !== undefined) {
        rows = await readRowsFile(opts.data, benchmark);
        source = opts.data;
      } else {
        rows = benchmark.dataset.generate(selection.scenario, selection.seed);
        source = `scenario ${selection.scenario}, seed ${selection.seed}`;
      }
      const oracle = benchmark.scoring.computeOracle(rows);
      process.stdout.write(
        opts.format === 'json'
          ? `${JSON.stringify(oracle, null, 2)}\n`
          : oracleText(benchmark, oracle, source),
      );
    });
}
