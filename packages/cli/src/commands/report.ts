import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { z } from 'zod';
import { buildReport } from '../report/index.js';

interface ReportCommandOptions {
  out: string;
  resamples: number;
  seed: number;
}

const PositiveInt = z.coerce.number().int().positive();

function positiveInt(text: string): number {
  const parsed = PositiveInt.safeParse(text.trim() === '' ? NaN : text);
  if (!parsed.success)
    throw new InvalidArgumentError(`must be a positive whole number, got "${text}".`);
  return parsed.data;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      "merge run folders (from any number of machines) into one static HTML report: leaderboard with intervals and pass^k, pictures, paired comparisons and every run's scorecard",
    )
    .argument('<paths...>', 'run folders, or folders of run folders (e.g. runs/)')
    .requiredOption('--out <file>', 'the HTML file to write')
    .option('--resamples <n>', 'bootstrap resamples', positiveInt, 2000)
    .option('--seed <n>', 'bootstrap seed', positiveInt, 1)
    .addHelpText(
      'after',
      `
The report opens from a file with no server and no network. Runs that ended in an environment or
harness failure, were stopped, or have no scorecard are listed apart and count in no number.

Example:
  localds report runs/ other-host/runs/ --out report.html`,
    )
    .action(async (paths: string[], opts: ReportCommandOptions) => {
      const report = await buildReport(paths, {
        bootstrap: { resamples: opts.resamples, seed: opts.seed },
      });
      for (const p of report.problems)
        process.stderr.write(`localds: warning: ${p.path}: ${p.message}\n`);
      await writeFile(opts.out, report.html);
      const excluded = report.stats.excluded.length;
      process.stdout.write(
        `report: ${report.runCount} run(s) in ${report.stats.groups.length} comparability group(s), ${excluded} left out, ${report.problems.length} unreadable -> ${opts.out} (${(Buffer.byteLength(report.html) / 1e6).toFixed(2)} MB)\n`,
      );
    });
}
