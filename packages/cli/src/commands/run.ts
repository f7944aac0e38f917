import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  createOpenAIModel,
  createReplayModel,
  runBenchmark,
  type AgentEvent,
  type BenchmarkRun,
  type ChatModel,
  type DataOptions,
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
import { BENCHMARK_IDS, getBenchmark, type BenchmarkDefinition } from '@localds/benchmarks';
import { redactSecrets } from '@localds/scorer';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { addScenarioOptions, scenarioFromOptions } from '../scenario-options.js';
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

/**
 * `openai:<baseURL>#<model>` or `replay:<file>`; a fresh model per trial (a replay is consumed).
 * `readTimeoutMs`: the model server's longest allowed silence (default: the adapter's 300 s).
 */
async function modelFactory(spec: string, readTimeoutMs?: number): Promise<() => ChatModel> {
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
    createReplayModel(json, { name }); // validates now, not at the first trial
    return () => createReplayModel(json, { name });
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
    return () =>
      createOpenAIModel({
        baseUrl,
        model: rest.slice(hash + 1),
        apiKey,
        ...(readTimeoutMs === undefined ? {} : { readTimeoutMs }),
      });
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

/** Pyodide's packages from the index (the CDN unless --index-url), cached; without them, the stdlib. */
async function pyodideFactory(
  benchmark: BenchmarkDefinition,
  opts: RunOptions,
  warn: (m: string) => void,
): Promise<SandboxFactory> {
  const indexUrl = opts.indexUrl ?? DEFAULT_PYODIDE_INDEX;
  try {
    const { packageDir } = await ensurePackages({ packages: benchmark.pythonPackages, indexUrl });
    return pyodideSandboxFactory({ packageDir, packages: benchmark.pythonPackages });
  } catch (error) {
    warn(
      `Pyodide packages (${benchmark.pythonPackages.join(', ')}) unavailable from ${indexUrl}: ${(error as Error).message}; model code gets the standard library only (pass --index-url for a self-hosted index)`,
    );
    return pyodideSandboxFactory();
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
  const score = card ? `${card.earned}/${card.total}` : 'not scored';
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
Ctrl-C stops the run and still writes it (end_reason "aborted"); a second Ctrl-C exits at once.

Examples:
  localds run --model replay:tests/fixtures/replays/stdlib-correct.json --scenario large-paginated
  LOCALDS_API_KEY=... localds run --model openai:http://127.0.0.1:8080/v1#qwen3-8b --python native --trials 3`,
    )
    .action(async (opts: RunOptions) => {
      const out = (line: string) => process.stdout.write(`${line}\n`);
      const warn = (line: string) => process.stderr.write(`localds: warning: ${line}\n`);
      const benchmark = getBenchmark(opts.benchmark);
      const newModel = await modelFactory(
        opts.model,
        opts.readTimeout === undefined ? undefined : opts.readTimeout * 1000,
      );
      const data = dataOptions(opts);
      const native = opts.python === 'native';
      if (native) {
        // A missing interpreter or pandas is the user's to fix: say so before any run starts.
        const python = await checkNativePython(opts.pythonBin);
        if (!python.ok) throw new Error(python.message);
      }
      const factory = native
        ? nativeSandboxFactory({ ...(opts.pythonBin ? { pythonBin: opts.pythonBin } : {}) })
        : await pyodideFactory(benchmark, opts, warn);
      const versions = {
        localds: LOCALDS_VERSION,
        pyodide: native ? null : pyodideVersions().pyodide,
      };

      const controller = new AbortController();
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(130);
        warn(
          'interrupted: stopping the run and writing what it did (Ctrl-C again to quit at once)',
        );
        controller.abort(new Error('SIGINT'));
      };
      process.on('SIGINT', onSigint);
      const scores: number[] = [];
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
            signal: controller.signal,
            protocol: opts.protocol,
            onEvent: (event) => {
              const line = progress(event);
              if (line) process.stderr.write(`${line}\n`);
            },
            versions,
          });
          for (const warning of run.warnings) warn(warning);
          const choice = run.runJson.protocol_choice;
          if (run.runJson.protocol) {
            out(`protocol: ${run.runJson.protocol}${choice ? ` (${choice.reason})` : ''}`);
          }
          const dir = await writeRunFolder(opts.out, run.folderPath, run.files);
          if (run.scorecard) {
            out(formatScorecardText(run.scorecard).trimEnd());
            scores.push(run.scorecard.pct);
          }
          out(trialLine(run, dir, model.scripted));
          if (run.runJson.end_reason === 'aborted') process.exitCode = 130;
        }
      } finally {
        process.off('SIGINT', onSigint);
      }
      if (opts.trials > 1) out(trialsSummary(scores));
    });
}
