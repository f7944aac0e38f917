import { readFile } from 'node:fs/promises';
import { getBenchmark, tableOf, type AnyBenchmark } from '@localds/benchmarks';
import {
  decodeSnapshotRows,
  formatJudged,
  parsePythonJson,
  scoreRun,
  type DataRow,
  type RunFolder,
  type Scorecard,
} from '@localds/scorer';
import { loadRunFolderFromDisk } from '@localds/scorer/node';
import { createReexecute } from '@localds/agent';
import { nativeSandboxFactory, pyodideSandboxFactory } from '@localds/agent/node';
import { Option, type Command } from 'commander';
import { addScenarioOptions, selectionFromOptions } from '../scenario-options.js';
import { readRowsFile } from './oracle.js';
import { formatVisualScoreText, isVisualFolder, scoreVisualFolder } from './score-visual.js';

const FORMATS = ['json', 'text'] as const;
const MODES = ['compat', 'full'] as const;
const PYTHONS = ['pyodide', 'native'] as const;

/**
 * Full mode's counterfactual: the run's cells re-executed on the level they ran on (run.json's
 * isolation) unless --python says otherwise. The browser worker is re-run in Node's Pyodide.
 */
function reexecuteFor(folder: RunFolder, benchmark: AnyBenchmark, opts: ScoreOptions) {
  const isolation = folder.runJson?.ok ? folder.runJson.value.isolation : null;
  const native = opts.python ? opts.python === 'native' : isolation?.startsWith('native') === true;
  return createReexecute({
    sandboxFactory: native
      ? nativeSandboxFactory(opts.pythonBin ? { pythonBin: opts.pythonBin } : {})
      : pyodideSandboxFactory(),
    table: tableOf(benchmark),
    configFile: benchmark.dataAccess.configFile,
  });
}

interface ScoreOptions {
  data?: string;
  oracle?: string;
  mode?: (typeof MODES)[number];
  format: (typeof FORMATS)[number];
  python?: (typeof PYTHONS)[number];
  pythonBin?: string;
  [scenarioOption: string]: unknown;
}

async function readOracleFile(file: string, benchmark: AnyBenchmark): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read --oracle ${file}: ${(error as Error).message}`, { cause: error });
  }
  // The article's oracle is written by Python's json, which may hold NaN.
  const parsed = parsePythonJson(text);
  if (!parsed.ok) throw new Error(`--oracle ${file} is not valid JSON: ${parsed.error}`);
  try {
    return benchmark.scoring.parseOracle(parsed.value);
  } catch (error) {
    throw new Error(`--oracle ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The benchmark the folder was run on: run.json's, or --benchmark for a folder that does not say. A folder
 * that names one benchmark is never scored as another.
 */
function benchmarkOf(folder: RunFolder, opts: ScoreOptions, cmd: Command): AnyBenchmark {
  const recorded = folder.runJson?.ok ? folder.runJson.value.benchmark.id : null;
  const given = cmd.getOptionValueSource('benchmark') === 'cli' ? String(opts.benchmark) : null;
  if (recorded && given && recorded !== given) {
    throw new Error(
      `the run folder is a ${recorded} run; --benchmark ${given} does not apply to it`,
    );
  }
  return getBenchmark(recorded ?? String(opts.benchmark));
}

/** The rows the run saw, from (in order) --data, an explicit --scenario/--seed, the run's snapshot. */
async function resolveRows(
  opts: ScoreOptions,
  cmd: Command,
  folder: RunFolder,
  benchmark: AnyBenchmark,
): Promise<{ rows: DataRow[]; source: string } | null> {
  if (opts.data) {
    return { rows: await readRowsFile(opts.data, benchmark), source: `--data ${opts.data}` };
  }
  const explicit = ['scenario', 'seed'].some((o) => cmd.getOptionValueSource(o) === 'cli');
  if (explicit) {
    const seed = opts.seed === undefined ? '' : ` --seed ${String(opts.seed)}`;
    const { scenario, seed: chosen } = selectionFromOptions({ ...opts, benchmark: benchmark.id });
    return {
      rows: benchmark.dataset.generate(scenario, chosen),
      source: `--scenario ${scenario}${seed}`,
    };
  }
  const snapshot = folder.runJson?.ok ? folder.runJson.value.data.snapshot : null;
  if (snapshot)
    return {
      rows: await decodeSnapshotRows(snapshot, benchmark.scoring.rowSchema),
      source: "the run's data snapshot",
    };
  return null;
}

const mark = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
/** A check that could not be judged is neither: it earned and lost nothing. */
const checkMark = (check: { pass: boolean; judged: boolean }) =>
  check.judged ? mark(check.pass) : 'N/J ';

/** The scorecard as a reader wants it: one line per check, then precision, diagnostics, notes. */
export function formatScorecardText(card: Scorecard): string {
  const notJudged = card.total - card.judged;
  const lines = [
    `Score ${formatJudged(card)} (${card.pct}%${notJudged ? `; ${notJudged} of ${card.total} points not judged` : ''}), ${card.mode} mode, scorer ${card.scorer_version}`,
    '',
  ];
  const width = Math.max(...Object.keys(card.checks).map((id) => id.length));
  for (const [id, check] of Object.entries(card.checks)) {
    const points = `${check.earned}/${check.max}`.padStart(5);
    lines.push(`  ${checkMark(check)}  ${id.padEnd(width)}  ${points}  ${check.detail}`);
  }
  if (card.precision) {
    lines.push('', `Precision (not scored): ${mark(card.precision.pass)}`);
    for (const [id, c] of Object.entries(card.precision.checks)) {
      lines.push(
        `  ${mark(c.pass)}  ${id}: reported ${c.reported ?? 'none'}, expected ${c.expected ?? 'undefined'}, tolerance ${c.tolerance ?? '-'}`,
      );
    }
  }
  if (card.diagnostics.length) {
    lines.push('', 'Diagnostics:', ...card.diagnostics.map((d) => `  - ${d.message}`));
  }
  if (card.notes.length) lines.push('', 'Notes:', ...card.notes.map((n) => `  - ${n}`));
  return `${lines.join('\n')}\n`;
}

/** `localds score <run-dir>`: scores a run folder against an oracle from the same rows. */
export function registerScore(program: Command): void {
  const cmd = program
    .command('score')
    .description(
      "Score a run folder with its benchmark's checks (the A/B test's are the article's 12; full mode judges run.json's trace). Exit 0 whenever scoring ran.",
    )
    .argument('<run-dir>', 'run folder: analysis.ipynb, summary.json, charts, optionally run.json')
    .option(
      '--oracle <file>',
      "oracle JSON: the article's format (recommended_variant, raw_stats, tolerance) or a localds oracle",
    )
    .option('--data <file>', "the rows the run saw (JSON array of the benchmark's rows)");
  addScenarioOptions(cmd)
    .addOption(
      new Option('--mode <mode>', 'default: full when run.json has a trace, else compat').choices(
        MODES,
      ),
    )
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('json'))
    .addOption(
      new Option(
        '--python <level>',
        "full mode's re-execution sandbox; default: the level the run used",
      ).choices(PYTHONS),
    )
    .option(
      '--python-bin <path>',
      'interpreter for a native re-execution (default /usr/bin/python3)',
    )
    .addHelpText(
      'after',
      `
The benchmark is the one run.json names; --benchmark only for a folder without run.json.
A visual run folder (run.json kind "visual") is scored from its index.html and observation.json
with the visual checks; the oracle options do not apply to it.
The oracle comes from, in order: --oracle, --data, --scenario/--seed (only when given; its
default is not used here), the run's own data snapshot.

Examples:
  localds score runs/ab-test-analysis/qwen3-4b/2026-11-24T03-00-00Z --scenario canonical
  localds score ./my-run --oracle ab-test-analysis-oracle.json --format text`,
    )
    .action(async (runDir: string, opts: ScoreOptions, command: Command) => {
      if (await isVisualFolder(runDir)) {
        const score = await scoreVisualFolder(runDir, (line) =>
          process.stderr.write(`localds: warning: ${line}\n`),
        );
        process.stdout.write(
          opts.format === 'text'
            ? formatVisualScoreText(score)
            : `${JSON.stringify(score, null, 2)}\n`,
        );
        return;
      }
      const folder = await loadRunFolderFromDisk(runDir);
      // An invalid run.json must not quietly turn a full-mode run into a compat one.
      if (folder.runJson && !folder.runJson.ok && !opts.mode) {
        throw new Error(
          `${runDir}: ${folder.runJson.error}. Its trace and data snapshot cannot be used; fix run.json, or pass --mode compat to score the folder without it`,
        );
      }
      const benchmark = benchmarkOf(folder, opts, command);
      const rows = await resolveRows(opts, command, folder, benchmark);
      const oracle = opts.oracle
        ? await readOracleFile(opts.oracle, benchmark)
        : rows && benchmark.scoring.computeOracle(rows.rows);
      if (!oracle) {
        throw new Error(
          `no oracle for ${runDir}: pass --oracle oracle.json, --data rows.json or --scenario NAME (${folder.runJson?.ok === false ? folder.runJson.error : 'the folder has no run.json data snapshot'})`,
        );
      }
      const card = await scoreRun(folder, {
        benchmark: benchmark.scoring,
        oracle,
        mode: opts.mode,
        rows: rows?.rows,
        // Built on first call: only full mode's counterfactual re-executes, and scoreRun picks the mode.
        reexecute: (request) => reexecuteFor(folder, benchmark, opts)(request),
      });
      card.notes.unshift(`oracle from ${opts.oracle ? `--oracle ${opts.oracle}` : rows!.source}`);
      process.stdout.write(
        opts.format === 'text' ? formatScorecardText(card) : `${JSON.stringify(card, null, 2)}\n`,
      );
    });
}
