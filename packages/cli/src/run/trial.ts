// One trial of a benchmark, as `localds run` and `localds sweep` both execute it: the options they
// share, the model from its spec, the sandbox preflight, and running + writing one run folder.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  createOpenAIModel,
  createReplayModel,
  runBenchmark,
  splitReplayEnvironment,
  type AgentEvent,
  type VisualAgentEvent,
  type BenchmarkRun,
  type ChatModel,
  type DataOptions,
  type PackagesChoice,
  type SamplingSettings,
  type SandboxFactory,
} from '@localds/agent';
import {
  checkNativePython,
  nativeSandboxFactory,
  pyodideSandboxFactory,
  pyodideVersions,
  writeRunFolder,
  DEFAULT_PYODIDE_INDEX,
  ensurePackages,
} from '@localds/agent/node';
import type { AnyBenchmark } from '@localds/benchmarks';
import { formatJudged, isEnvironmentFailure, redactSecrets } from '@localds/scorer';
import { InvalidArgumentError, Option, type Command } from 'commander';

/** The CLI's own version, recorded in run.json (analysis and visual runs). */
export const LOCALDS_VERSION = '0.1.0';

/** The options of one trial that `localds run` and `localds sweep` share. */
export interface TrialOptions {
  python: 'pyodide' | 'native';
  pythonBin?: string;
  temperature?: number;
  topP?: number;
  samplingSeed?: number;
  maxTokens?: number;
  indexUrl?: string;
  stdlibOnly?: boolean;
  out: string;
  maxTurns: number;
  maxTokensTotal: number;
  timeLimit: number;
  cellTimeout: number;
  readTimeout?: number;
}

export function number(min: number, max = Infinity, integer = false) {
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

/** The sandbox and sampling options, defined once for every command that runs trials. */
export function addSandboxOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--python <level>', 'sandbox').choices(['pyodide', 'native']).default('pyodide'),
    )
    .option('--python-bin <path>', 'interpreter for --python native (default /usr/bin/python3)')
    .option('--temperature <t>', 'sampling temperature', number(0))
    .option('--top-p <p>', 'nucleus sampling', number(0, 1))
    .option('--sampling-seed <n>', 'sampling seed', number(0, Number.MAX_SAFE_INTEGER, true))
    .option('--max-tokens <n>', 'tokens per answer', number(1, Infinity, true));
}

/** The package, output and budget options, defined once for every command that runs trials. */
export function addBudgetOptions(cmd: Command): Command {
  return cmd
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
    );
}

/** The environment (not the user's input, not the model) stopped the run before it started. */
export class PreflightError extends Error {}

export interface ModelSpec {
  newModel: () => ChatModel;
  /** what a replay file declares it needs (`"environment": "stdlib-only"`), if anything */
  environment?: PackagesChoice;
  /**
   * What trials of this model share and must not flood: the server's base URL for `openai:`, the
   * replay file for `replay:` (which has no server).
   */
  endpoint: string;
}

/**
 * `openai:<baseURL>#<model>` or `replay:<file>`; a fresh model per trial (a replay is consumed).
 * `readTimeoutMs`: the model server's longest allowed silence (default: the adapter's 300 s).
 */
export async function modelFactory(
  spec: string,
  readTimeoutMs?: number,
  /** The benchmark whose scripted demo `--model demo` replays. */
  benchmark?: AnyBenchmark,
): Promise<ModelSpec> {
  if (spec === 'demo') {
    if (!benchmark) throw new Error('--model demo needs a benchmark (its scripted demo)');
    // The benchmark's own scripted demo (the page's), so a suite can be run end to end without a model.
    const { replay, environment } = splitReplayEnvironment(benchmark.demoReplay);
    createReplayModel(replay, { name: 'scripted-demo' });
    return {
      newModel: () => createReplayModel(replay, { name: 'scripted-demo' }),
      ...(environment ? { environment } : {}),
      endpoint: `demo:${benchmark.id}`,
    };
  }
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
      endpoint: spec,
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
      // One llama.cpp server serves every model name under its URL.
      endpoint: new URL(baseUrl).href.replace(/\/+$/, ''),
    };
  }
  throw new Error(`--model ${spec}: expected openai:<baseURL>#<model> or replay:<file>`);
}

/** What a user can do when the packages cannot be had: self-host them, or choose the standard library. */
export const PACKAGES_FIX =
  'To fix it: self-host the Pyodide distribution (the "full" release archive of this Pyodide version, ' +
  'served over http or unpacked in a folder) and pass its URL or folder with --index-url; or pass ' +
  '--stdlib-only to run with the standard library only (such runs are scored in a group of their own).';

/**
 * Preflight for Pyodide: the benchmark's packages from the index (the CDN unless --index-url), verified
 * and cached, before any run starts; with --stdlib-only, none. A failure stops here (exit 4).
 */
async function pyodideFactory(
  benchmark: AnyBenchmark,
  opts: TrialOptions,
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

/** Everything the trials of one benchmark and package choice share: the checked sandbox factory. */
export interface TrialSetup {
  benchmark: AnyBenchmark;
  packages: PackagesChoice;
  native: boolean;
  factory: SandboxFactory;
  versions: { localds: string; pyodide: string | null };
  opts: TrialOptions;
  /** the runs root, already checked writable */
  outDir: string;
}

/**
 * Checks the sandbox before any trial starts (interpreter, packages); throws a PreflightError when
 * the environment cannot run the benchmark, a plain Error when the options contradict each other.
 */
export async function prepareTrials(
  benchmark: AnyBenchmark,
  opts: TrialOptions,
  replayEnvironment: PackagesChoice | undefined,
  outDir: string,
): Promise<TrialSetup> {
  const packages: PackagesChoice = opts.stdlibOnly ? 'stdlib-only' : (replayEnvironment ?? 'full');
  const native = opts.python === 'native';
  if (native && packages === 'stdlib-only') {
    const why = opts.stdlibOnly
      ? '--stdlib-only'
      : `the replay declares "environment": "stdlib-only", which`;
    throw new Error(
      `${why} runs in Pyodide only (--python pyodide): a native interpreter cannot hide its own packages`,
    );
  }
  if (native) {
    // A missing interpreter or pandas is the user's to fix: say so before any run starts.
    const python = await checkNativePython(opts.pythonBin);
    if (!python.ok) throw new PreflightError(`${python.message}. The run did not start.`);
  }
  const factory = native
    ? nativeSandboxFactory({ ...(opts.pythonBin ? { pythonBin: opts.pythonBin } : {}) })
    : await pyodideFactory(benchmark, opts, packages);
  const versions = { localds: LOCALDS_VERSION, pyodide: native ? null : pyodideVersions().pyodide };
  return { benchmark, packages, native, factory, versions, opts, outDir };
}

export interface TrialRequest {
  model: ChatModel;
  data: DataOptions;
  trialIndex: number;
  signal: AbortSignal;
  onEvent?: (event: AgentEvent) => void;
  /** fenced, tools, or auto (tools when the model takes them); default fenced; a replay's file decides. */
  protocol?: 'fenced' | 'tools' | 'auto';
}

/** The sampling flags given (--temperature, --top-p, --sampling-seed, --max-tokens); the rest default. */
export function samplingOf(
  opts: Pick<TrialOptions, 'temperature' | 'topP' | 'samplingSeed' | 'maxTokens'>,
): SamplingSettings {
  return {
    ...(opts.temperature === undefined ? {} : { temperature: opts.temperature }),
    ...(opts.topP === undefined ? {} : { top_p: opts.topP }),
    ...(opts.samplingSeed === undefined ? {} : { seed: opts.samplingSeed }),
    ...(opts.maxTokens === undefined ? {} : { max_tokens: opts.maxTokens }),
  };
}

/**
 * Runs one trial and writes its run folder (after every cell, and at the end); returns the run and
 * its folder. A sandbox that could not start is a PreflightError: no run took place.
 */
export async function runTrial(
  setup: TrialSetup,
  request: TrialRequest,
): Promise<{ run: BenchmarkRun; dir: string }> {
  const { opts } = setup;
  const run = await runBenchmark({
    benchmark: setup.benchmark,
    model: request.model,
    data: request.data,
    sandboxFactory: setup.factory,
    isolation: setup.native ? 'native-bwrap' : 'node-pyodide',
    packages: setup.packages,
    sampling: samplingOf(opts),
    budgets: {
      maxTurns: opts.maxTurns,
      maxTotalTokens: opts.maxTokensTotal,
      wallTimeMs: opts.timeLimit * 1000,
      cellTimeoutMs: opts.cellTimeout * 1000,
    },
    trialIndex: request.trialIndex,
    signal: request.signal,
    ...(request.protocol ? { protocol: request.protocol } : {}),
    ...(request.onEvent ? { onEvent: request.onEvent } : {}),
    versions: setup.versions,
    onCheckpoint: async ({ folderPath, files }) => {
      await writeRunFolder(setup.outDir, folderPath, files);
    },
  });
  if (run.preflightError !== null) {
    // The sandbox could not start (e.g. a package did not load): no run took place.
    throw new PreflightError(
      `the Python sandbox could not start: ${run.preflightError}. The run did not start. ` +
        (setup.native ? 'Check the interpreter given with --python-bin.' : PACKAGES_FIX),
    );
  }
  const dir = await writeRunFolder(setup.outDir, run.folderPath, run.files);
  return { run, dir };
}

/** The progress lines of either loop (analysis or visual): its turns, its errors, its end. */
export function runProgress(event: AgentEvent | VisualAgentEvent): string | null {
  switch (event.type) {
    case 'turn_started':
      return `turn ${event.turn}`;
    case 'error':
      return `  ${event.source} error: ${redactSecrets(event.message)}`;
    case 'done':
      return `run ended: ${event.endReason}`;
    default:
      return null;
  }
}

/** Progress on stderr (stdout keeps the scorecards): turns, cells and errors as they happen. */
export function progress(event: AgentEvent): string | null {
  switch (event.type) {
    case 'cell_started':
      return `  cell ${event.cell} running`;
    case 'cell_finished':
      return `  cell ${event.cell.index}: ${event.cell.status} (${event.cell.durationMs} ms)`;
    default:
      return runProgress(event);
  }
}

/** What a run without a score says instead: an environment failure is not the model's. */
export function notScored(endReason: string): string {
  return isEnvironmentFailure(endReason)
    ? 'not scored (an environment error: the harness or the environment failed, not the model)'
    : 'not scored';
}

/** One line per finished trial: its score (or why it has none), how it ended, and its folder. */
export function trialLine(run: BenchmarkRun, dir: string, scripted: boolean): string {
  const card = run.scorecard;
  const score = card ? formatJudged(card) : notScored(run.runJson.end_reason);
  const { end_reason: reason, end_detail: detail } = run.runJson;
  const why = detail && reason !== 'done' ? ` (${detail})` : '';
  return `${scripted ? '[scripted] ' : ''}${run.runId}: ${score}, ended ${reason}${why} -> ${dir}`;
}
