import { defaultModelName, type PackagesChoice } from '@localds/agent';
import { cleanStaleTempDirs } from '@localds/agent/node';
import { BENCHMARK_IDS, DEFAULT_BENCHMARK_ID, getBenchmark } from '@localds/benchmarks';
import { InvalidArgumentError, type Command } from 'commander';
import pLimit from 'p-limit';
import { collectRuns } from '../report/collect.js';
import { EXIT, exitCodeFor, worstExitCode } from '../run/exit-codes.js';
import { prepareOutDir } from '../run/out-dir.js';
import { handleStopSignals } from '../run/stop-signals.js';
import {
  finishesCell,
  parseShard,
  planResume,
  shardCells,
  sweepGrid,
  type Shard,
  type SweepCell,
  type SweepModel,
} from '../run/sweep-plan.js';
import { formatProgress } from '../run/sweep-progress.js';
import {
  addBudgetOptions,
  addSandboxOptions,
  modelFactory,
  number,
  prepareTrials,
  PreflightError,
  runTrial,
  trialLine,
  type ModelSpec,
  type TrialOptions,
  type TrialSetup,
} from '../run/trial.js';
import { parseSeed } from '../scenario-options.js';

interface SweepOptions extends TrialOptions {
  models: string[];
  benchmarks: string[];
  scenarios?: string[];
  seeds?: number[];
  trials: number;
  concurrency: number;
  perEndpoint: number;
  shard?: Shard;
}

/** The scenarios swept on a benchmark: those named (each must be one of its own), else its default. */
function scenariosOf(id: string, named: readonly string[] | undefined): readonly string[] {
  const { scenarios, defaultScenario } = getBenchmark(id).dataset;
  if (!named) return [defaultScenario];
  const unknown = named.filter((name) => !scenarios.includes(name));
  if (unknown.length) {
    throw new Error(
      `--scenarios: ${unknown.map((n) => `"${n}"`).join(', ')} is not a scenario of ${id}; its scenarios: ${scenarios.join(', ')}`,
    );
  }
  return named;
}

/** A comma-separated list, each item checked by `item`; empty items and repeats are refused. */
function list<T>(item: (text: string) => T) {
  return (text: string): T[] => {
    const parts = text.split(',').map((part) => part.trim());
    if (parts.some((part) => part === ''))
      throw new InvalidArgumentError(
        `must be a comma-separated list with no empty item, got "${text}".`,
      );
    if (new Set(parts).size !== parts.length)
      throw new InvalidArgumentError(`lists an item twice: "${text}".`);
    return parts.map(item);
  };
}

function oneOf(choices: readonly string[]) {
  return (text: string): string => {
    if (!choices.includes(text))
      throw new InvalidArgumentError(`"${text}" is not one of ${choices.join(', ')}.`);
    return text;
  };
}

/** A short name for a cell in progress and error lines. */
function cellLabel(cell: SweepCell): string {
  return `#${cell.index + 1} ${cell.model.name} · ${cell.scenario} seed ${cell.seed} · trial ${cell.trial}`;
}

/** `localds sweep`: the grid models × benchmarks × scenarios × seeds × trials, resumable and shardable. */
export function registerSweep(program: Command): void {
  const cmd = program
    .command('sweep')
    .description(
      'Run every model on every benchmark, scenario and seed, N trials each: one run folder per trial; started again it resumes.',
    )
    .requiredOption(
      '--models <specs>',
      'comma-separated model specs, each as --model of localds run: openai:<baseURL>#<model> or replay:<file>',
      list((s) => s),
    )
    .option(
      '--benchmarks <ids>',
      `comma-separated benchmarks (${BENCHMARK_IDS.join(', ')})`,
      list(oneOf(BENCHMARK_IDS)),
      [DEFAULT_BENCHMARK_ID],
    )
    .option(
      '--scenarios <names>',
      "comma-separated dataset scenarios, each a scenario of every benchmark swept (default: each benchmark's default)",
      list((name) => name),
    )
    .option(
      '--seeds <n,…>',
      "comma-separated dataset seeds (default: each scenario's own seed)",
      list(parseSeed),
    )
    .option('--trials <n>', 'trials per cell, numbered 1…N', number(1, 1000, true), 1)
    .option('--concurrency <k>', 'trials at once in total', number(1, 64, true), 1)
    .option(
      '--per-endpoint <n>',
      'trials at once per model server (a replay file counts as its own server)',
      number(1, 64, true),
      1,
    )
    .option(
      '--shard <I/N>',
      'run only every N-th cell of the grid, from the I-th (the same grid on every host)',
      parseShard,
    );
  addBudgetOptions(addSandboxOptions(cmd))
    .addHelpText(
      'after',
      `
Each cell of the grid (model, benchmark, scenario, seed, trial) is one trial and one run folder under
--out; its trial index pairs it with the other models' trials in localds report. Started again with the
same arguments, a sweep skips the cells whose run folder is finished (whatever the score: a scored trial
is never replaced) and runs again only those that ended in an environment or harness failure or were
stopped. A larger --trials adds new trials. Ctrl-C stops the running trials and records them (end_reason
"aborted", run again on resume). Exit codes as localds run --trials: the worst trial's class wins.

Examples:
  localds sweep --models replay:a.json,replay:b.json --scenarios canonical,srm --trials 3 --stdlib-only
  localds sweep --models openai:http://127.0.0.1:8080/v1#qwen3-8b --seeds 1,2,3 --shard 1/2 --out runs-host1`,
    )
    .action(async (opts: SweepOptions) => {
      const out = (line: string) => process.stdout.write(`${line}\n`);
      const warn = (line: string) => process.stderr.write(`localds: warning: ${line}\n`);
      const status = (line: string) => process.stderr.write(`${line}\n`);
      // Every named scenario must be one of every swept benchmark's: checked before anything starts.
      for (const id of opts.benchmarks) scenariosOf(id, opts.scenarios);
      cleanStaleTempDirs();
      const outDir = await prepareOutDir(opts.out);
      const readTimeoutMs = opts.readTimeout === undefined ? undefined : opts.readTimeout * 1000;

      // The models, each with the name its runs record (how a finished cell is found again).
      const specs = new Map<string, ModelSpec>();
      const models: SweepModel[] = [];
      for (const spec of opts.models) {
        const model = await modelFactory(spec, readTimeoutMs);
        specs.set(spec, model);
        const packages: PackagesChoice = opts.stdlibOnly
          ? 'stdlib-only'
          : (model.environment ?? 'full');
        models.push({
          spec,
          name: defaultModelName(model.newModel()),
          endpoint: model.endpoint,
          packages,
        });
      }
      const grid = sweepGrid({
        models,
        benchmarks: opts.benchmarks,
        scenarios: (id) => scenariosOf(id, opts.scenarios),
        seeds: opts.seeds ?? null,
        defaultSeed: (id, scenario) => getBenchmark(id).dataset.defaultSeedOf(scenario),
        trials: opts.trials,
      });
      const cells = opts.shard ? shardCells(grid, opts.shard) : grid;
      const recorded = await collectRuns([outDir]);
      for (const problem of recorded.problems) warn(`${problem.path}: ${problem.message}`);
      const plan = planResume(
        cells,
        recorded.runs.map((run) => run.runJson),
      );
      const shardText = opts.shard
        ? `, shard ${opts.shard.index}/${opts.shard.count}: ${cells.length}`
        : '';
      status(
        `sweep: ${grid.length} cell(s) in the grid${shardText}; ${plan.finished.length} already finished, ` +
          `${plan.retried.length} to run again (environment failure or stopped), ` +
          `${plan.todo.length - plan.retried.length} to run`,
      );

      // One sandbox preflight per benchmark and package choice, before any trial starts.
      const setups = new Map<string, TrialSetup>();
      const setupKey = (cell: SweepCell) => `${cell.benchmark} ${cell.model.packages}`;
      try {
        for (const cell of plan.todo) {
          if (setups.has(setupKey(cell))) continue;
          const environment = specs.get(cell.model.spec)!.environment;
          setups.set(
            setupKey(cell),
            await prepareTrials(getBenchmark(cell.benchmark), opts, environment, outDir),
          );
        }
      } catch (error) {
        if (error instanceof PreflightError) process.exitCode = EXIT.environment;
        throw error;
      }

      const controller = new AbortController();
      const signals = handleStopSignals(controller, warn);
      const exitCodes: number[] = [];
      let stopStarting = false;
      let done = plan.finished.length;
      let running = 0;
      let finishedNow = 0;
      const started = Date.now();
      const showProgress = () =>
        status(
          formatProgress({
            done,
            total: cells.length,
            running,
            finishedNow,
            elapsedMs: Date.now() - started,
          }),
        );
      // At most --concurrency trials in total, and at most --per-endpoint per model server: the
      // endpoint's gate is passed before the global one, so a waiting endpoint never holds a slot.
      const total = pLimit(opts.concurrency);
      const endpoints = new Map<string, ReturnType<typeof pLimit>>();
      const gateOf = (endpoint: string) => {
        let gate = endpoints.get(endpoint);
        if (!gate) endpoints.set(endpoint, (gate = pLimit(opts.perEndpoint)));
        return gate;
      };
      const runCell = async (cell: SweepCell): Promise<void> => {
        if (stopStarting || controller.signal.aborted) return;
        const model = specs.get(cell.model.spec)!.newModel();
        running++;
        status(`sweep: started ${cellLabel(cell)}`);
        try {
          const { run, dir } = await runTrial(setups.get(setupKey(cell))!, {
            model,
            data: { kind: 'embedded', scenario: cell.scenario, seed: cell.seed },
            trialIndex: cell.trial,
            signal: controller.signal,
            onEvent: (event) => {
              if (event.type === 'error') status(`  ${cellLabel(cell)}: ${event.source} error`);
            },
          });
          for (const warning of run.warnings) warn(`${cellLabel(cell)}: ${warning}`);
          out(trialLine(run, dir, model.scripted));
          exitCodes.push(exitCodeFor(run.runJson.end_reason, signals.received));
          if (finishesCell(run.runJson)) {
            done++;
            finishedNow++;
          }
        } catch (error) {
          // The sandbox could not start, or the harness failed outside a run: no trial is recorded,
          // and the next trials would fail the same way, so none is started.
          stopStarting = true;
          exitCodes.push(EXIT.environment);
          warn(`${cellLabel(cell)}: ${(error as Error).message}; no further trial is started`);
        } finally {
          running--;
          showProgress();
        }
      };
      try {
        await Promise.all(
          plan.todo.map((cell) => gateOf(cell.model.endpoint)(() => total(() => runCell(cell)))),
        );
      } finally {
        signals.dispose();
      }
      if (signals.received) exitCodes.push(EXIT[signals.received]);
      const left = cells.length - done;
      out(
        `sweep: ${done}/${cells.length} trial(s) of ${opts.shard ? 'this shard' : 'the grid'} finished` +
          (left ? `, ${left} not (run the same command again to resume)` : ''),
      );
      process.exitCode = worstExitCode(exitCodes);
    });
}
