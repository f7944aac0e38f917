// One benchmark run end to end, the same in the page and the CLI: data access, the sandbox, the
// loop, the run folder (notebook, files, run.json) and its full-mode score. It never throws once the
// data are in hand: an abort or a crash still returns a recorded run folder.
import {
  generateDataset,
  scenarios,
  toJson,
  type BenchmarkDefinition,
  type EventRow,
  type ScenarioName,
} from '@localds/benchmarks';
import {
  computeOracle,
  encodeSnapshot,
  modelSlug,
  readRunFolderFiles,
  runFolderPath,
  RunJsonSchema,
  scoreRun,
  serializeRunJson,
  SCORER_VERSION,
  type RunFolderFiles,
  type RunJson,
  type Scorecard,
  type SnapshotSource,
} from '@localds/scorer';
import { initialMessages } from '../loop/prompt.js';
import { runAgent } from '../loop/run-agent.js';
import { runJsonParts, samplingJson } from '../loop/run-json.js';
import type { AgentBudgets, AgentEvent, AgentRunResult, RunAgentOptions } from '../loop/types.js';
import type { ChatModel, SamplingSettings } from '../model/types.js';
import { buildNotebook, serializeNotebook } from '../notebook/build.js';
import { withRecordedNotebook } from '../notebook/files.js';
import type { IsolationLevel, PythonSandbox } from '../sandbox/types.js';
import { EMBEDDED_URL, fetchSupabaseRows, projectUrl, randomAnonKey, serveRows } from './data.js';
import { collectFilesReport, redactFiles, redactKeys } from './files.js';
import { createReexecute } from './reexecute.js';
import type { CreatedSandbox, SandboxFactory } from './sandbox-factory.js';

export type DataOptions =
  /** The scenario's generated rows, served at EMBEDDED_URL (the default). */
  | { kind: 'embedded'; scenario: ScenarioName; seed?: number }
  /**
   * A Supabase project's rows, fetched once and frozen into the run's snapshot (what the oracle uses).
   * Model code is served that snapshot at the project's own URL, unless `live` (the page's browser
   * worker only): then it reaches the project itself, and any difference from the snapshot is recorded.
   */
  | { kind: 'supabase'; url: string; key: string; live?: boolean };

export interface RunBenchmarkOptions {
  benchmark: BenchmarkDefinition;
  model: ChatModel;
  data: DataOptions;
  sandboxFactory: SandboxFactory;
  /** The isolation level the factory builds; recorded if the sandbox never starts. */
  isolation: IsolationLevel;
  sampling?: SamplingSettings;
  budgets: AgentBudgets;
  signal?: AbortSignal;
  onEvent?: (event: AgentEvent) => void;
  /** Default: the start time and a random suffix, e.g. `2026-11-24T04-10-00Z-3f2a`. */
  runId?: string;
  /** Default: derived from the model id (the part after `#` for an OpenAI-compatible server). */
  modelName?: string;
  versions?: { localds?: string; pyodide?: string | null };
  /** Score the folder (full mode, with the counterfactual); default true. */
  score?: boolean;
  /** fenced (default), tools, or auto (tools when the model takes them); a replay's file decides. */
  protocol?: RunAgentOptions['protocol'];
}

export interface BenchmarkRun {
  runId: string;
  /** `runs/<benchmark>/<model-slug>/<run-id>` */
  folderPath: string;
  /** The run folder: relative path → bytes; no file holds a key. */
  files: RunFolderFiles;
  runJson: RunJson;
  scorecard: Scorecard | null;
  /** Things the user must be told (unisolated Python, files withheld). */
  warnings: string[];
  /** The loop's raw result, in memory only: unlike `files` and `runJson` it may hold the key. */
  result: AgentRunResult | null;
}

const PROVIDERS: Record<ChatModel['kind'], string> = {
  openai: 'openai-http',
  replay: 'replay',
  webllm: 'webllm',
};

function defaultModelName(model: ChatModel): string {
  if (model.kind === 'openai') return model.id.slice(model.id.lastIndexOf('#') + 1) || model.id;
  return model.id.replace(/^replay:/, 'replay-');
}

function defaultRunId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
  const suffix = Array.from(crypto.getRandomValues(new Uint8Array(2)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  return `${stamp}-${suffix}`;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The rows of the run and where they came from. */
async function loadRows(
  data: DataOptions,
  table: string,
  signal?: AbortSignal,
): Promise<{ rows: EventRow[]; source: SnapshotSource; project: string; keys: string[] }> {
  if (data.kind === 'supabase') {
    const project = projectUrl(data.url);
    const rows = await fetchSupabaseRows(project, data.key, table, signal);
    return { rows, source: { kind: 'supabase', url: project }, project, keys: [data.key] };
  }
  const seed = data.seed ?? scenarios[data.scenario].defaultSeed;
  return {
    rows: generateDataset(data.scenario, seed),
    source: { kind: 'scenario', scenario: data.scenario, seed },
    project: EMBEDDED_URL,
    keys: [],
  };
}

/** The loop's fields for a run that never got a result (the sandbox or the harness failed first). */
function emptyParts(
  options: RunBenchmarkOptions,
  startedAt: Date,
): ReturnType<typeof runJsonParts> {
  const [system, user] = initialMessages(options.benchmark);
  return {
    benchmark: { id: options.benchmark.id, version: options.benchmark.version },
    sampling: samplingJson(options.sampling ?? {}),
    prompts: { system: system.content, user: user.content },
    transcript: [],
    timings: {
      started_at: startedAt.toISOString(),
      finished_at: new Date().toISOString(),
      duration_ms: Date.now() - startedAt.getTime(),
    },
    tokens: { prompt: 0, completion: 0 },
    isolation: options.isolation,
    scripted: options.model.scripted,
    end_reason: 'harness_error',
    end_detail: null,
    trace: null,
  };
}

/** Runs the benchmark once and returns its scored run folder. Throws only if the data cannot be read. */
export async function runBenchmark(options: RunBenchmarkOptions): Promise<BenchmarkRun> {
  const { benchmark, model } = options;
  const startedAt = new Date();
  const runId = options.runId ?? defaultRunId(startedAt);
  const modelName = options.modelName ?? defaultModelName(model);
  const folderPath = runFolderPath(benchmark.id, modelSlug(modelName), runId);
  const table = benchmark.dataAccess.table;
  const configFile = benchmark.dataAccess.configFile;

  const data = await loadRows(options.data, table, options.signal);
  const key = randomAnonKey();
  const keys = [key, ...data.keys];
  const live = options.data.kind === 'supabase' && options.data.live ? options.data.key : undefined;
  const served = serveRows(data.rows, data.project, table, key, live);
  const cellTimeoutMs = options.budgets.cellTimeoutMs;
  const warnings: string[] = [];

  let created: CreatedSandbox | null = null;
  let result: AgentRunResult | null = null;
  let files: RunFolderFiles = new Map();
  let harnessError: string | null = null;
  try {
    created = await options.sandboxFactory({
      fetchHandler: served.fetchHandler,
      data: served.spec,
      allowedUrlPrefixes: [served.allowedPrefix],
      timeoutMs: cellTimeoutMs,
    });
    if (created.warning) warnings.push(created.warning);
    const sandbox: PythonSandbox = created.sandbox;
    await sandbox.ready;
    await sandbox.writeFile(configFile, new TextEncoder().encode(served.supabaseJson));
    result = await runAgent({
      model,
      sandbox,
      benchmark,
      sampling: options.sampling ?? {},
      budgets: options.budgets,
      signal: options.signal,
      onEvent: options.onEvent,
      ...(options.protocol ? { protocol: options.protocol } : {}),
    });
    const collected = await collectFilesReport(sandbox, keys, [configFile]);
    files = collected.files;
    for (const name of collected.withheld) {
      warnings.push(`${name} was left out of the run folder: it contains the API key`);
    }
  } catch (error) {
    harnessError = message(error);
  } finally {
    await created?.sandbox.dispose().catch(() => undefined);
  }

  const parts = result ? runJsonParts(result) : emptyParts(options, startedAt);
  if (harnessError !== null) {
    parts.end_reason = 'harness_error';
    parts.end_detail = redactKeys(`the harness failed: ${harnessError}`, keys);
  }
  if (result) {
    const notebook = serializeNotebook(
      buildNotebook(result, { runId, pythonVersion: created?.pythonVersion ?? undefined }),
    );
    files = withRecordedNotebook(files, notebook, benchmark.notebook.file).files;
  }
  const runJson: RunJson = {
    schema_version: 1,
    run_id: runId,
    model: { name: modelName, provider: PROVIDERS[model.kind], revision: null },
    ...parts,
    versions: {
      localds: options.versions?.localds ?? 'unknown',
      benchmark: benchmark.version,
      scorer: SCORER_VERSION,
      pyodide: options.versions?.pyodide ?? null,
      python: created?.pythonVersion ?? null,
    },
    isolation_warning: created?.warning ?? null,
    isolation_report: created?.isolationReport?.() ?? null,
    data: {
      table_url: served.tableUrl,
      snapshot: await encodeSnapshot(toJson(data.rows), data.rows.length, data.source),
      ...(live === undefined ? {} : { live: true }),
    },
    scorecard: null,
  };

  if (options.score !== false) {
    const unscored = new Map(files);
    unscored.set('run.json', new TextEncoder().encode(serializeRunJson(runJson)));
    const finished = parts.end_reason !== 'aborted' && parts.end_reason !== 'harness_error';
    try {
      const scorecard = await scoreRun(readRunFolderFiles(unscored), {
        oracle: computeOracle(data.rows),
        mode: runJson.trace ? 'full' : 'compat',
        rows: data.rows,
        // A stopped or crashed run is scored on what it left, without spending a re-execution on it.
        reexecute: finished
          ? createReexecute({
              sandboxFactory: options.sandboxFactory,
              table,
              configFile,
              cellTimeoutMs,
              signal: options.signal,
            })
          : undefined,
      });
      if (!finished)
        scorecard.notes.push(`counterfactual not run: the run ended with ${parts.end_reason}`);
      for (const warning of warnings) scorecard.notes.push(`warning: ${warning}`);
      runJson.scorecard = scorecard;
    } catch (error) {
      warnings.push(`scoring failed: ${message(error)}`);
    }
  }

  files.set('run.json', new TextEncoder().encode(serializeRunJson(runJson)));
  // The last word on keys: nothing leaves with one, whatever wrote it; what is returned is what was written.
  const final = redactFiles(files, keys);
  for (const name of final.withheld) warnings.push(`${name} was left out: it contains the API key`);
  const written = RunJsonSchema.parse(
    JSON.parse(new TextDecoder().decode(final.files.get('run.json'))),
  );
  return {
    runId,
    folderPath,
    files: final.files,
    runJson: written,
    scorecard: written.scorecard,
    warnings: warnings.map((w) => redactKeys(w, keys)),
    result,
  };
}
