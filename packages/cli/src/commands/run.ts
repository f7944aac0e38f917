import type { DataOptions } from '@localds/agent';
import { cleanStaleTempDirs } from '@localds/agent/node';
import {
  findVisualBenchmark,
  getBenchmark,
  suiteMembers,
  VISUAL_BENCHMARK_IDS,
  visualBenchmarks,
  type AnyBenchmark,
  type VisualBenchmark,
} from '@localds/benchmarks';
import { comparabilityOfRun } from '@localds/scorer';
import { describeSuiteScore, suiteScores, type SuiteTrial } from '@localds/scorer/score-stats';
import { Option, type Command } from 'commander';
import { addScenarioOptions, selectionFromOptions } from '../scenario-options.js';
import { EXIT, exitCodeFor, worstExitCode } from '../run/exit-codes.js';
import { prepareOutDir } from '../run/out-dir.js';
import { handleStopSignals } from '../run/stop-signals.js';
import { runVisualBenchmarks } from '../run/visual.js';
import {
  addBudgetOptions,
  addSandboxOptions,
  modelFactory,
  number,
  prepareTrials,
  PreflightError,
  progress,
  runTrial,
  trialLine,
  type TrialOptions,
  type TrialSetup,
} from '../run/trial.js';
import { formatScorecardText } from './score.js';

interface RunOptions extends TrialOptions {
  benchmark: string;
  suite?: string;
  model: string;
  data?: 'embedded';
  supabaseUrl?: string;
  trials: number;
  turns?: number;
  protocol: 'fenced' | 'tools' | 'auto';
  [scenarioOption: string]: unknown;
}

function dataOptions(opts: RunOptions, benchmark: AnyBenchmark): DataOptions {
  if (opts.supabaseUrl) {
    const key = process.env.LOCALDS_SUPABASE_KEY;
    if (!key) {
      throw new Error(
        '--supabase-url needs the project key in the environment variable LOCALDS_SUPABASE_KEY (never on the command line)',
      );
    }
    return { kind: 'supabase', url: opts.supabaseUrl, key };
  }
  const { scenario, seed } = selectionFromOptions({ ...opts, benchmark: benchmark.id });
  return { kind: 'embedded', scenario, seed };
}

/** Mean, spread (sample SD, and min–max) and how many scored 100, over the trials. */
function trialsSummary(scores: number[]): string {
  const n = scores.length;
  if (!n) return 'no trial was scored';
  const mean = scores.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(scores.reduce((a, s) => a + (s - mean) ** 2, 0) / (n - 1)) : 0;
  const perfect = scores.filter((s) => s === 100).length;
  return `${n} trial(s): mean ${mean.toFixed(1)}, sd ${sd.toFixed(1)}, range ${Math.min(...scores)}–${Math.max(...scores)}, ${perfect}/${n} scored 100`;
}

/** `localds run`: a model does the benchmark in a sandbox; each run folder is written and scored. */
export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description(
      'Run a model on a benchmark (a notebook one in an isolated Python sandbox, a visual one rendered offline in Chromium); write and score the run folder(s).',
    )
    .requiredOption(
      '--model <spec>',
      "openai:<baseURL>#<model> (key from LOCALDS_API_KEY), replay:<file>, or demo (the benchmark's own scripted demo)",
    )
    .addOption(
      new Option(
        '--suite <id>',
        "run every benchmark of a suite (each on its default scenario) and print the suite's score",
      ).conflicts(['scenario', 'supabaseUrl']),
    )
    .addOption(
      new Option('--data <source>', 'where the rows come from')
        .choices(['embedded'])
        .conflicts('supabaseUrl'),
    )
    .option(
      '--supabase-url <url>',
      'a Supabase project URL; its rows are read once (key from LOCALDS_SUPABASE_KEY) and frozen',
    );
  addBudgetOptions(
    addSandboxOptions(addScenarioOptions(cmd, VISUAL_BENCHMARK_IDS))
      .option('--trials <n>', 'independent runs', number(1, 1000, true), 1)
      .option(
        '--turns <n>',
        "visual benchmarks: replies the model may give, the first and its revisions (default: the benchmark's, 1 for a one-shot run)",
        number(1, 100, true),
      ),
  )
    .addOption(
      new Option(
        '--protocol <protocol>',
        'how the model runs code: fenced ```python blocks, native tool calls (run_python), or auto (tools when the server takes them); a replay file decides its own',
      )
        .choices(['fenced', 'tools', 'auto'])
        .default('auto'),
    )
    .addHelpText(
      'after',
      `
Keys come only from the environment: LOCALDS_API_KEY (model server), LOCALDS_SUPABASE_KEY (--supabase-url).
Before a run starts, the sandbox loads the benchmark's packages; if they cannot be loaded the run
does not start (exit code 4). --stdlib-only (or a replay file declaring "environment": "stdlib-only")
is the only way to run without them; the task then says so and run.json records it.
Ctrl-C, SIGTERM and SIGHUP stop the run and still write it (end_reason "aborted"); a second signal
exits at once. The run folder is rewritten after every cell, so even a killed run leaves a readable
partial run (end_reason "interrupted").
Exit codes: 0 the model finished its run (whatever its score), 1 a usage or input error, 3 model_error,
4 an environment or harness failure (environment_error, sandbox_error, harness_error, interrupted),
130/143/129 stopped by SIGINT/SIGTERM/SIGHUP. With --trials N the worst wins (interrupt > 4 > 3 > 0).

Visual benchmarks (localds benchmarks lists them) render each file in Debian's Chromium
(/usr/bin/chromium, or LOCALDS_CHROMIUM), offline; a missing browser is an environment error (exit 4).

Examples:
  localds run --model replay:tests/fixtures/replays/stdlib-correct.json --scenario large-paginated
  localds run --benchmark cherry-blossoms --model openai:http://127.0.0.1:8080/v1#qwen3-8b --turns 1
  localds run --suite visual --model demo
  LOCALDS_API_KEY=... localds run --model openai:http://127.0.0.1:8080/v1#qwen3-8b --python native --trials 3`,
    )
    .action(async (opts: RunOptions, command: Command) => {
      const out = (line: string) => process.stdout.write(`${line}\n`);
      const warn = (line: string) => process.stderr.write(`localds: warning: ${line}\n`);
      if (opts.suite && command.getOptionValueSource('benchmark') === 'cli') {
        throw new Error('--suite runs every benchmark of the suite; drop --benchmark');
      }
      const visual = visualMembers(opts);
      if (visual.length) {
        await runVisual(visual, opts, out, warn);
        return;
      }
      if (opts.turns !== undefined) {
        throw new Error(
          '--turns is for visual benchmarks; a notebook run is limited by --max-turns',
        );
      }
      const members = opts.suite ? suiteMembers(opts.suite) : [getBenchmark(opts.benchmark)];
      // Working directories of runs that were killed (their owner process is gone) hold a run key.
      cleanStaleTempDirs();
      const outDir = await prepareOutDir(opts.out);
      const controller = new AbortController();
      const signals = handleStopSignals(controller, warn);
      const exitCodes: number[] = [];
      const suiteTrials: SuiteTrial[] = [];
      try {
        for (const benchmark of members) {
          if (controller.signal.aborted) break;
          if (opts.suite) out(`## ${benchmark.id}`);
          const done = await runTrials(
            benchmark,
            opts,
            outDir,
            controller.signal,
            signals,
            out,
            warn,
          );
          exitCodes.push(...done.exitCodes);
          suiteTrials.push(...done.trials);
          // In a suite each benchmark's summary line names it; a single run's stays as it always was.
          const summary = trialsSummary(done.scores);
          if (opts.suite) out(`${benchmark.id}: ${summary}`);
          else if (opts.trials > 1) out(summary);
        }
      } finally {
        signals.dispose();
      }
      if (signals.received) exitCodes.push(EXIT[signals.received]);
      if (opts.suite) {
        const ids = members.map((b) => b.id);
        const scores = suiteScores(ids, suiteTrials);
        if (!scores.length) out(`suite ${opts.suite}: no scored trial`);
        for (const suite of scores) {
          out(
            `suite ${opts.suite} (${suite.model}; ${suite.conditions}): ${describeSuiteScore(suite)}`,
          );
        }
      }
      process.exitCode = worstExitCode(exitCodes);
    });
}

/** The visual benchmarks the options name (a visual --benchmark, or a suite of visual ones); else none. */
function visualMembers(opts: RunOptions): VisualBenchmark[] {
  if (opts.suite) return visualBenchmarks.filter((b) => b.suite === opts.suite);
  const one = findVisualBenchmark(opts.benchmark);
  return one ? [one] : [];
}

/** `localds run` on visual benchmarks: one run each (no dataset, no Python), written and scored. */
async function runVisual(
  members: VisualBenchmark[],
  opts: RunOptions,
  out: (line: string) => void,
  warn: (line: string) => void,
): Promise<void> {
  if (opts.trials !== 1) throw new Error('--trials is not supported for visual benchmarks yet');
  const outDir = await prepareOutDir(opts.out);
  const controller = new AbortController();
  const signals = handleStopSignals(controller, warn);
  const exitCodes: number[] = [];
  try {
    exitCodes.push(
      ...(await runVisualBenchmarks(members, opts, outDir, controller.signal, signals, out, warn)),
    );
  } finally {
    signals.dispose();
  }
  if (signals.received) exitCodes.push(EXIT[signals.received]);
  process.exitCode = worstExitCode(exitCodes);
}

/** One benchmark's trials, as `localds run` always ran them: their scores, exit codes and suite trials. */
async function runTrials(
  benchmark: AnyBenchmark,
  opts: RunOptions,
  outDir: string,
  signal: AbortSignal,
  signals: Pick<ReturnType<typeof handleStopSignals>, 'received'>,
  out: (line: string) => void,
  warn: (line: string) => void,
): Promise<{ scores: number[]; exitCodes: number[]; trials: SuiteTrial[] }> {
  const { newModel, environment } = await modelFactory(
    opts.model,
    opts.readTimeout === undefined ? undefined : opts.readTimeout * 1000,
    benchmark,
  );
  const data = dataOptions(opts, benchmark);
  let setup: TrialSetup;
  try {
    setup = await prepareTrials(benchmark, opts, environment, outDir);
  } catch (error) {
    if (error instanceof PreflightError) process.exitCode = EXIT.environment;
    throw error;
  }
  const scores: number[] = [];
  const exitCodes: number[] = [];
  const trials: SuiteTrial[] = [];
  for (let trial = 1; trial <= opts.trials && !signal.aborted; trial++) {
    const model = newModel();
    if (model.scripted)
      out(`scripted run: ${model.id} replays prepared responses; this is not a live model`);
    let trialRun: Awaited<ReturnType<typeof runTrial>>;
    try {
      trialRun = await runTrial(setup, {
        model,
        data,
        trialIndex: trial,
        protocol: opts.protocol,
        signal,
        onEvent: (event) => {
          const line = progress(event);
          if (line) process.stderr.write(`${line}\n`);
        },
      });
    } catch (error) {
      if (error instanceof PreflightError) process.exitCode = EXIT.environment;
      throw error;
    }
    const { run, dir } = trialRun;
    for (const warning of run.warnings) warn(warning);
    const choice = run.runJson.protocol_choice;
    if (run.runJson.protocol) {
      out(`protocol: ${run.runJson.protocol}${choice ? ` (${choice.reason})` : ''}`);
    }
    const comparability = run.scorecard ? comparabilityOfRun(run.runJson, run.scorecard) : null;
    if (run.scorecard) {
      out(formatScorecardText(run.scorecard).trimEnd());
      scores.push(run.scorecard.pct);
      if (comparability && run.runJson.end_reason !== 'aborted') {
        trials.push({ model: run.runJson.model.name, comparability, pct: run.scorecard.pct });
      }
    }
    out(trialLine(run, dir, model.scripted));
    exitCodes.push(exitCodeFor(run.runJson.end_reason, signals.received));
  }
  return { scores, exitCodes, trials };
}
