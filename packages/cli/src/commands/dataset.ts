import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Option, type Command } from 'commander';
import { tableOf, toCsv, toJson, toSql, type TableSpec } from '@localds/benchmarks';
import type { DataRow } from '@localds/scorer';
import { addScenarioOptions, scenariosHelp, selectionFromOptions } from '../scenario-options.js';

const FORMATS = ['json', 'csv', 'sql'] as const;
type Format = (typeof FORMATS)[number];

function render(
  format: Format,
  rows: DataRow[],
  table: TableSpec,
  scenario: string,
  seed: number,
): string {
  switch (format) {
    case 'json':
      return toJson(rows, table);
    case 'csv':
      return toCsv(rows, table);
    case 'sql':
      return toSql(rows, table, {
        comment: [
          `${table.name} for localds scenario "${scenario}", seed ${seed} (${rows.length} rows).`,
        ],
      });
  }
}

/** Writes to stdout; a reader that stops early (`| head`) is not an error. */
function writeToStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' ? resolve() : reject(error),
    );
    process.stdout.write(text, () => resolve());
  });
}

/** `localds dataset`: writes a scenario's generated rows as JSON, CSV or SQL. */
export function registerDataset(program: Command): void {
  const cmd = program
    .command('dataset')
    .description(
      "Write a benchmark scenario's generated rows as JSON (what the REST API returns), CSV, or SQL that creates and fills the table.",
    );
  addScenarioOptions(cmd)
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('json'))
    .option('--out <file>', 'file to write; "-" or omitted writes to stdout')
    .addHelpText(
      'after',
      `
${scenariosHelp()}

Examples:
  localds dataset --format json --out canonical.json
  localds dataset --scenario large-paginated --seed 7 --format sql --out seed.sql
  localds dataset --format csv | head`,
    )
    .action(async (opts: { format: Format; out?: string }) => {
      const { benchmark, scenario, seed } = selectionFromOptions(opts);
      const rows = benchmark.dataset.generate(scenario, seed);
      const text = render(opts.format, rows, tableOf(benchmark), scenario, seed);
      if (opts.out === undefined || opts.out === '-') {
        await writeToStdout(text);
        return;
      }
      await mkdir(dirname(opts.out), { recursive: true });
      await writeFile(opts.out, text);
      process.stderr.write(
        `wrote ${rows.length} rows (${benchmark.id}, scenario ${scenario}, seed ${seed}) as ${opts.format} to ${opts.out}\n`,
      );
    });
}
