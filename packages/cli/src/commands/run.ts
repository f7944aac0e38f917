import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  createOpenAIModel,
  createReplayModel,
  runBenchmark,
  splitReplayEnvironment,
  type AgentEvent,
  type BenchmarkRun,
  type ChatModel,
  type DataOptions,
  type PackagesChoice,
  type SandboxFactory,
} from '@localds/agent';
import {
  checkNativePython,
  cleanStaleTempDirs,
  nativeSandboxFactory,
  pyodideSandboxFactory,
  pyodideVersions,
  writeRunFolder,
  DEFAULT_PYODIDE_INDEX,
  ensurePackages,
} from '@localds/agent/node';
import { BENCHMARK_IDS, getBenchmark, type BenchmarkDefinition } from '@localds/benchmarks';
import { formatJudged, isEnvironmentFailure, redactSecrets } from '@localds/scorer';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { addScenarioOptions, scenarioFromOptions } from '../scenario-options.js';
import { EXIT, exitCodeFor, worstExitCode } from '../run/exit-codes.js';
import { prepareOutDir } from '../run/out-dir.js';
import { handleStopSignals } from '../run/stop-signals.js';
import { formatScorecardText } from './score.js';

/** The CLI's own version, recorded in run.json. */
const LOCALDS_VERSION = '0.1.0';

interface RunOptions {
  benchmark: string;
  model: string;
  data?: 'embedded';
  supabaseUrl?: string;
  python: 'pyodide' | 'native';
  pythonBin?: string;
  temperature?: number;
  topP?: number;
  samplingSeed?: number;
  maxTokens?: number;
  trials: number;
  indexUrl?: string;
  stdlibOnly?: boolean;
  out: string;
  maxTurns: number;
  maxTokensTotal: number;
  timeLimit: number;
  cellTimeout: number;
  readTimeout?: number;
  protocol: 'fenced' | 'tools' | 'auto';
  [scenarioOption: string]: unknown;
}

function number(min: number, max = Infinity, integer = false) {
  return (text: string): number => {
    const value = Number(text);
    if (!text.trim() || !Number.isFinite(value) || value < min || value > max) {
      throw new InvalidArgumentError(
        `must be a number from ${min}${max < Infinity ? ` to ${max}` : ''}, got "${text}".`,
      );
    }
    if (integer && !Number.isInteger(value))
      throw new InvalidArgumentError(`must be a whole number, got "${text}".`);
    return value;
  };
}

/** The environment (not the user's input, not the model) stopped the run before it started. */
class PreflightError extends Error {}

interface ModelSpec {
  newModel: () => ChatModel;
  /** what a replay file declares it needs (`"environment": "stdlib-only"`), if anything */
  environment?: PackagesChoice;
}

/**
 * `openai:<baseURL>#<model>` or `replay:<file>`; a fresh model per trial (a replay is consumed).
 * `readTimeoutMs`: the model server's longest allowed silence (default: the adapter's 300 s).
 */
async function modelFactory(spec: string, readTimeoutMs?: number): Promise<ModelSpec> {
  if (spec.startsWith('replay:')) {
    const file = spec.slice('replay:'.length);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new Error(`cannot read the replay file ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const name = basename(file).replace(/\.json$/i, '');
    const { replay, environment } = splitReplayEnvironment(json);
    createReplayModel(replay, { name }); // validates now, not at the first trial
    return {
      newModel: () => createReplayModel(replay, { name }),
      ...(environment ? { environment } : {}),
    };
  }
  if (spec.startsWith('openai:')) {
    const rest = spec.slice('openai:'.length);
    const hash = rest.lastIndexOf('#');
    if (hash <= 0 || hash === rest.length - 1) {
      throw new Error(
        `--model ${spec}: expected openai:<baseURL>#<model>, e.g. openai:http://127.0.0.1:8080/v1#qwen3-8b`,
      );
    }
    const baseUrl = rest.slice(0, hash);
    if (!URL.canParse(baseUrl)) throw new Error(`--model ${spec}: ${baseUrl} is not a URL`);
    const apiKey = process.env.LOCALDS_API_KEY || undefined;
    return {
      newModel: () =>
        createOpenAIModel({
          baseUrl,
          model: rest.slice(hash + 1),
          apiKey,
          ...(readTimeoutMs === undefined ? {} : { readTimeoutMs }),
        }),
    };
  }
  throw new Error(`--model ${spec}: expected openai:<baseURL>#<model> or replay:<file>`);
}

function dataOptions(opts: RunOptions): DataOptions {
  if (opts.supabaseUrl) {
    const key = process.env.LOCALDS_SUPABASE_KEY;
    if (!key) {
      throw new Error(
        '--supabase-url needs the project key in the environment variable LOCALDS_SUPABASE_KEY (never on the command line)',
      );
    }
    return { kind: 'supabase', url: opts.supabaseUrl, key };
  }
  const { scenario, seed } = scenarioFromOptions(opts);
  return { kind: 'embedded', scenario, ...(seed === undefined ? {} : { seed }) };
}

/** What a user can do when the packages cannot be had: self-host them, or choose the standard library. */
const PACKAGES_FIX =
  'To fix it: self-host the Pyodide distribution (the "full" release archive of this Pyodide version, ' +
  'served over http or unpacked in a folder) and pass its URL or folder with --index-url; or pass ' +
  '--stdlib-only to run with the standard library only (such runs are scored in a group of their own).';

/**
 * Preflight for Pyodide: the benchmark's packages from the index (the CDN unless --index-url), verified
 * and cached, before any run starts; with --stdlib-only, none. A failure stops here (exit 4).
 */
async function pyodideFactory(
  benchmark: BenchmarkDefinition,
  opts: RunOptions,
  packages: PackagesChoice,
): Promise<SandboxFactory> {
  if (packages === 'stdlib-only') return pyodideSandboxFactory();
  const indexUrl = opts.indexUrl ?? DEFAULT_PYODIDE_INDEX;
  try {
    const { packageDir } = await ensurePackages({ packages: benchmark.pythonPackages, indexUrl });
    return pyodideSandboxFactory({ packageDir, packages: benchmark.pythonPackages });
  } catch (error) {
    throw new PreflightError(
      `the benchmark's Python packages (${benchmark.pythonPackages.join(', ')}) could not be loaded ` +
        `from ${indexUrl}: ${(error as Error).message}. The run did not start. ${PACKAGES_FIX}`,
    );
  }
}

/** Progress on stderr (stdout keeps the scorecards): turns, cells and errors as they happen. */
function progress(event: AgentEvent): string | null {
  switch (event.type) {
    case 'turn_started':
      return `turn ${event.turn}`;
    case 'cell_started':
      return `  cell ${event.cell} running`;
    case 'cell_finished':
      return `  cell ${event.cell.index}: ${event.cell.status} (${event.cell.durationMs} ms)`;
    case 'error':
      return `  ${event.source} error: ${redactSecrets(event.message)}`;
    case 'done':
      return `run ended: ${event.endReason}`;
    default:
      return null;
  }
}

function trialLine(run: BenchmarkRun, dir: string, scripted: boolean): string {
  const card = run.scorecard;
  const score = card
    ? formatJudged(card)
    : isEnvironmentFailure(run.runJson.end_reason)
      ? 'not scored (an environment error: the harness or the environment failed, not the model)'
      : 'not scored';
  const { end_reason: reason, end_detail: detail } = run.runJson;
  const why = detail && reason !== 'done' ? ` (${detail})` : '';
  return `${scripted ? '[scripted] ' : ''}${run.runId}: ${score}, ended ${reason}${why} -> ${dir}`;
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
      'Run a model on a benchmark in an isolated Python sandbox; write and score the run folder(s).',
    )
    .addOption(
      new Option('--benchmark <id>', 'benchmark')
        .choices(BENCHMARK_IDS)
        .default('ab-test-analysis'),
    )
    .requiredOption(
      '--model <spec>',
      'openai:<baseURL>#<model> (key from LOCALDS_API_KEY) or replay:<file>',
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
  addScenarioOptions(cmd)
    .addOption(
      new Option('--python <level>', 'sandbox').choices(['pyodide', 'native']).default('pyodide'),
    )
    .option('--python-bin <path>', 'interpreter for --python native (default /usr/bin/python3)')
    .option('--temperature <t>', 'sampling temperature', number(0))
    .option('--top-p <p>', 'nucleus sampling', number(0, 1))
    .option('--sampling-seed <n>', 'sampling seed', number(0, Number.MAX_SAFE_INTEGER, true))
    .option('--max-tokens <n>', 'tokens per answer', number(1, Infinity, true))
    .option('--trials <n>', 'independent runs', number(1, 1000, true), 1)
    .option('--index-url <url>', 'Pyodide package index (default: the Pyodide CDN)')
    .option(
      '--stdlib-only',
      "run without the benchmark's packages: model code gets the Python standard library only (Pyodide)",
    )
    .option('--out <dir>', 'runs root', 'runs')
    .option('--max-turns <n>', 'model calls per run', number(1, Infinity, true), 30)
    .option(
      '--max-tokens-total <n>',
      'prompt + completion tokens per run',
      number(1, Infinity, true),
      400_000,
    )
    .option('--time-limit <seconds>', 'wall time per run', number(1), 1800)
    .option('--cell-timeout <seconds>', 'time per cell', number(1), 120)
    .option(
      '--read-timeout <seconds>',
      'longest silence from the model server, e.g. while it reads a long prompt (default 300)',
      number(1),
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

Examples:
  localds run --model replay:tests/fixtures/replays/stdlib-correct.json --scenario large-paginated
  LOCALDS_API_KEY=... localds run --model openai:http://127.0.0.1:8080/v1#qwen3-8b --python native --trials 3`,
    )
    .action(async (opts: RunOptions) => {
      const out = (line: string) => process.stdout.write(`${line}\n`);
      const warn = (line: string) => process.stderr.write(`localds: warning: ${line}\n`);
      const benchmark = getBenchmark(opts.benchmark);
      // Working directories of runs that were killed (their owner process is gone) hold a run key.
      cleanStaleTempDirs();
      const outDir = await prepareOutDir(opts.out);
      const { newModel, environment } = await modelFactory(
        opts.model,
        opts.readTimeout === undefined ? undefined : opts.readTimeout * 1000,
      );
      const packages: PackagesChoice = opts.stdlibOnly ? 'stdlib-only' : (environment ?? 'full');
      const data = dataOptions(opts);
      const native = opts.python === 'native';
      if (native && packages === 'stdlib-only') {
        const why = opts.stdlibOnly
          ? '--stdlib-only'
          : `the replay declares "environment": "stdlib-only", which`;
        throw new Error(
          `${why} runs in Pyodide only (--python pyodide): a native interpreter cannot hide its own packages`,
        );
      }
      let factory: SandboxFactory;
      try {
        if (native) {
          // A missing interpreter or pandas is the user's to fix: say so before any run starts.
          const python = await checkNativePython(opts.pythonBin);
          if (!python.ok) throw new PreflightError(`${python.message}. The run did not start.`);
        }
        factory = native
          ? nativeSandboxFactory({ ...(opts.pythonBin ? { pythonBin: opts.pythonBin } : {}) })
          : await pyodideFactory(benchmark, opts, packages);
      } catch (error) {
        if (error instanceof PreflightError) process.exitCode = EXIT.environment;
        throw error;
      }
      const versions = {
        localds: LOCALDS_VERSION,
        pyodide: native ? null : pyodideVersions().pyodide,
      };

      const controller = new AbortController();
      const signals = handleStopSignals(controller, warn);
      const scores: number[] = [];
      const exitCodes: number[] = [];
      try {
        for (let trial = 1; trial <= opts.trials && !controller.signal.aborted; trial++) {
          const model = newModel();
          if (model.scripted)
            out(`scripted run: ${model.id} replays prepared responses; this is not a live model`);
          const run = await runBenchmark({
            benchmark,
            model,
            data,
            sandboxFactory: factory,
            isolation: native ? 'native-bwrap' : 'node-pyodide',
            packages,
            sampling: {
              ...(opts.temperature === undefined ? {} : { temperature: opts.temperature }),
              ...(opts.topP === undefined ? {} : { top_p: opts.topP }),
              ...(opts.samplingSeed === undefined ? {} : { seed: opts.samplingSeed }),
              ...(opts.maxTokens === undefined ? {} : { max_tokens: opts.maxTokens }),
            },
            budgets: {
              maxTurns: opts.maxTurns,
              maxTotalTokens: opts.maxTokensTotal,
              wallTimeMs: opts.timeLimit * 1000,
              cellTimeoutMs: opts.cellTimeout * 1000,
            },
            trialIndex: trial,
            signal: controller.signal,
            protocol: opts.protocol,
            onEvent: (event) => {
              const line = progress(event);
              if (line) process.stderr.write(`${line}\n`);
            },
            versions,
            onCheckpoint: async ({ folderPath, files }) => {
              await writeRunFolder(outDir, folderPath, files);
            },
          });
          if (run.preflightError !== null) {
            // The sandbox could not start (e.g. a package did not load): no run took place.
            process.exitCode = EXIT.environment;
            throw new Error(
              `the Python sandbox could not start: ${run.preflightError}. The run did not start. ` +
                (native ? 'Check the interpreter given with --python-bin.' : PACKAGES_FIX),
            );
          }
          for (const warning of run.warnings) warn(warning);
          const choice = run.runJson.protocol_choice;
          if (run.runJson.protocol) {
            out(`protocol: ${run.runJson.protocol}${choice ? ` (${choice.reason})` : ''}`);
          }
          const dir = await writeRunFolder(outDir, run.folderPath, run.files);
          if (run.scorecard) {
            out(formatScorecardText(run.scorecard).trimEnd());
            scores.push(run.scorecard.pct);
          }
          out(trialLine(run, dir, model.scripted));
          exitCodes.push(exitCodeFor(run.runJson.end_reason, signals.received));
        }
      } finally {
        signals.dispose();
      }
      if (signals.received) exitCodes.push(EXIT[signals.received]);
      if (opts.trials > 1) out(trialsSummary(scores));
      process.exitCode = worstExitCode(exitCodes);
    });
}
