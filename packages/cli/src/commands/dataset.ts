import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Option, type Command } from 'commander';
import { scenarios, toCsv, toJson, toSql, type EventRow } from '@localds/benchmarks';
import {
  addScenarioOptions,
  rowsFromScenarioOptions,
  scenarioFromOptions,
} from '../scenario-options.js';

const FORMATS = ['json', 'csv', 'sql'] as const;
type Format = (typeof FORMATS)[number];

function render(format: Format, rows: EventRow[], scenario: string, seed: number): string {
  switch (format) {
    case 'json':
      return toJson(rows);
    case 'csv':
      return toCsv(rows);
    case 'sql':
      return toSql(rows, {
        comment: [
          `posthog_events for localds scenario "${scenario}", seed ${seed} (${rows.length} rows).`,
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
      'Write the generated posthog_events rows of a scenario as JSON (what the REST API returns), CSV, or SQL that creates and fills the table.',
    );
  addScenarioOptions(cmd)
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('json'))
    .option('--out <file>', 'file to write; "-" or omitted writes to stdout')
    .addHelpText(
      'after',
      `
Scenarios:
${Object.entries(scenarios)
  .map(([name, s]) => `  ${name.padEnd(17)} ${s.description}`)
  .join('\n')}

Examples:
  localds dataset --format json --out canonical.json
  localds dataset --scenario large-paginated --seed 7 --format sql --out seed.sql
  localds dataset --format csv | head`,
    )
    .action(async (opts: { format: Format; out?: string }) => {
      const { scenario, seed } = scenarioFromOptions(opts);
      const effectiveSeed = seed ?? scenarios[scenario].defaultSeed;
      const rows = rowsFromScenarioOptions(opts);
      const text = render(opts.format, rows, scenario, effectiveSeed);
      if (opts.out === undefined || opts.out === '-') {
        await writeToStdout(text);
        return;
      }
      await mkdir(dirname(opts.out), { recursive: true });
      await writeFile(opts.out, text);
      process.stderr.write(
        `wrote ${rows.length} rows (scenario ${scenario}, seed ${effectiveSeed}) as ${opts.format} to ${opts.out}\n`,
      );
    });
}
