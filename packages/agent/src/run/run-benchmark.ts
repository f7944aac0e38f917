// One benchmark run end to end, the same in the page and the CLI: data access, the sandbox, the
// loop, the run folder (notebook, files, run.json) and its full-mode score. It never throws once the
// data are in hand: an abort or a crash still returns a recorded run folder.
import { tableOf, toJson, type AnyBenchmark, type TableSpec } from '@localds/benchmarks';
import {
  encodeSnapshot,
  isEnvironmentFailure,
  modelSlug,
  readRunFolderFiles,
  runFolderPath,
  RunJsonSchema,
  scoreRunWithCounterfactual,
  encodeRunJson,
  serializeRunJson,
  SCORER_VERSION,
  type RunFolderFiles,
  type RunJson,
  type Scorecard,
  type DataRow,
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
import { taskForEnvironment, type PackagesChoice } from './environment.js';
import { dataPrefix } from '../sandbox/network/data-network.js';
import {
  EMBEDDED_URL,
  fetchSupabaseRows,
  projectUrl,
  randomAnonKey,
  serveRows,
  type ServedData,
} from './data.js';
import { collectFilesReport, redactFiles, redactKeys } from './files.js';
import { RunProgress } from './progress.js';
import { createReexecute } from './reexecute.js';
import type { CreatedSandbox, SandboxFactory } from './sandbox-factory.js';

export type DataOptions =
  /** The scenario's generated rows, served at EMBEDDED_URL (the default). */
  | { kind: 'embedded'; scenario: string; seed?: number }
  /**
   * A Supabase project's rows, fetched once and frozen into the run's snapshot (what the oracle uses).
   * Model code is served that snapshot at the project's own URL, unless `live` (the page's browser
   * worker only): then it reaches the project itself, and any difference from the snapshot is recorded.
   */
  | { kind: 'supabase'; url: string; key: string; live?: boolean };

export interface RunBenchmarkOptions {
  benchmark: AnyBenchmark;
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
  /** Which trial of a repeated run this is, 1-based; recorded as run.json `trial_index` for pairing. */
  trialIndex?: number;
  /**
   * Called with the run folder so far (run.json ended `interrupted` with `finished_at` null, and the
   * notebook) before the first model call and after every turn and cell, one call at a time; the final
   * folder comes after the last. Lets a caller keep a readable partial run on disk should it be killed.
   */
  onCheckpoint?: (checkpoint: { folderPath: string; files: RunFolderFiles }) => Promise<void>;
  /**
   * The Python environment the factory's sandboxes give model code: the benchmark's packages (default)
   * or the standard library only. It changes the task text the model receives and is recorded in run.json.
   */
  packages?: PackagesChoice;
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
  /**
   * Set when the sandbox could not start (e.g. the packages would not load): the model never had a turn,
   * the run ended with `environment_error` and is not scored. The page records no run for it.
   */
  preflightError: string | null;
}

/** The provider a run folder records for each kind of model (run.json's model.provider). */
export const PROVIDER_OF_KIND = {
  openai: 'openai-http',
  replay: 'replay',
  webllm: 'webllm',
} as const satisfies Record<ChatModel['kind'], string>;

/** The provider a run folder records for a model. */
export function providerOf(model: ChatModel): string {
  return PROVIDER_OF_KIND[model.kind];
}

/** The name a run records for its model when none is given (a sweep matches finished trials by it). */
export function defaultModelName(model: ChatModel): string {
  if (model.kind === 'openai') return model.id.slice(model.id.lastIndexOf('#') + 1) || model.id;
  return model.id.replace(/^replay:/, 'replay-');
}

/** A run id for a run started at `now`: its UTC time (safe in file names) and four random hex digits. */
export function defaultRunId(now: Date): string {
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

/** The project URL model code sees: the Supabase project's, or the embedded endpoint's. */
function projectOf(data: DataOptions): string {
  return data.kind === 'supabase' ? projectUrl(data.url) : EMBEDDED_URL;
}

/** The rows of the run and where they came from. */
async function loadRows(
  data: DataOptions,
  benchmark: AnyBenchmark,
  signal?: AbortSignal,
): Promise<{ rows: DataRow[]; source: SnapshotSource; project: string; keys: string[] }> {
  if (data.kind === 'supabase') {
    const project = projectOf(data);
    const table = benchmark.dataAccess.table;
    const rows = await fetchSupabaseRows(
      project,
      data.key,
      table,
      benchmark.scoring.rowSchema,
      signal,
    );
    return { rows, source: { kind: 'supabase', url: project }, project, keys: [data.key] };
  }
  const { scenarios, defaultSeedOf, generate } = benchmark.dataset;
  if (!scenarios.includes(data.scenario)) {
    throw new RangeError(
      `unknown scenario "${data.scenario}" for ${benchmark.id}; known: ${scenarios.join(', ')}`,
    );
  }
  const seed = data.seed ?? defaultSeedOf(data.scenario);
  return {
    rows: generate(data.scenario, seed),
    source: { kind: 'scenario', scenario: data.scenario, seed },
    project: projectOf(data),
    keys: [],
  };
}

/** The loop's fields for a run that never got a result (the sandbox or the harness failed first). */
function emptyParts(
  options: RunBenchmarkOptions,
  benchmark: AnyBenchmark,
  startedAt: Date,
): ReturnType<typeof runJsonParts> {
  const [system, user] = initialMessages(benchmark);
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
  const { model } = options;
  const packages = options.packages ?? 'full';
  // The model is told exactly which packages exist in this run.
  const benchmark: AnyBenchmark = {
    ...options.benchmark,
    task: taskForEnvironment(
      options.benchmark.task,
      options.benchmark.pythonPackages,
      packages,
      options.isolation,
    ),
  };
  const startedAt = new Date();
  const runId = options.runId ?? defaultRunId(startedAt);
  const modelName = options.modelName ?? defaultModelName(model);
  const folderPath = runFolderPath(benchmark.id, modelSlug(modelName), runId);
  const table: TableSpec = tableOf(benchmark);
  const configFile = benchmark.dataAccess.configFile;

  const key = randomAnonKey();
  const live = options.data.kind === 'supabase' && options.data.live ? options.data.key : undefined;
  const cellTimeoutMs = options.budgets.cellTimeoutMs;
  // The sandbox boots (seconds) while the rows are read and served: its network waits for them, and
  // no cell runs before they are in hand.
  const rowsRead = loadRows(options.data, benchmark, options.signal).then((data) => ({
    data,
    served: serveRows(data.rows, data.project, table, key, live),
  }));
  rowsRead.catch(() => undefined);
  const sandboxStarted = (async () =>
    options.sandboxFactory({
      fetchHandler: async (req) => (await rowsRead).served.fetchHandler(req),
      data: rowsRead.then(({ served }) => served.spec),
      allowedUrlPrefixes: [dataPrefix(projectOf(options.data))],
      timeoutMs: cellTimeoutMs,
    }))();
  sandboxStarted.catch(() => undefined);
  let data: Awaited<typeof rowsRead>['data'];
  let served: ServedData;
  try {
    ({ data, served } = await rowsRead);
  } catch (error) {
    void sandboxStarted.then((started) => started.sandbox.dispose()).catch(() => undefined);
    throw error;
  }
  const keys = [key, ...data.keys];
  const warnings: string[] = [];

  let created: CreatedSandbox | null = null;
  const snapshot = await encodeSnapshot(toJson(data.rows, table), data.rows.length, data.source);
  /** run.json around the loop's parts (no scorecard yet). */
  const assembleRunJson = (parts: ReturnType<typeof runJsonParts>): RunJson => ({
    schema_version: 1,
    run_id: runId,
    model: { name: modelName, provider: providerOf(model), revision: null },
    ...parts,
    versions: {
      localds: options.versions?.localds ?? 'unknown',
      benchmark: benchmark.version,
      scorer: SCORER_VERSION,
      pyodide: options.versions?.pyodide ?? null,
      python: created?.pythonVersion ?? null,
    },
    environment: { packages, loaded: created?.loadedPackages ?? [] },
    ...(options.trialIndex === undefined ? {} : { trial_index: options.trialIndex }),
    isolation_warning: created?.warning ?? null,
    isolation_report: created?.isolationReport?.() ?? null,
    data: {
      table_url: served.tableUrl,
      snapshot,
      ...(live === undefined ? {} : { live: true }),
    },
    scorecard: null,
  });

  // Checkpoints: the run so far, rewritten one at a time; a failed one is reported once, never fatal.
  const onCheckpoint = options.onCheckpoint;
  const [systemPrompt, userPrompt] = initialMessages(benchmark);
  const progress = new RunProgress({
    model,
    benchmark: { id: benchmark.id, version: benchmark.version },
    isolation: options.isolation,
    sampling: options.sampling ?? {},
    prompts: { system: systemPrompt.content, user: userPrompt.content },
    startedAt,
  });
  let checkpoints = Promise.resolve();
  let checkpointFailed = false;
  const checkpoint = () => {
    if (!onCheckpoint) return;
    const partial = progress.result(); // the run as of now, not as of when the write gets its turn
    checkpoints = checkpoints.then(async () => {
      try {
        const parts = runJsonParts(partial);
        parts.timings = { ...parts.timings, finished_at: null, duration_ms: null, model_ms: null };
        const notebook = serializeNotebook(
          buildNotebook(partial, { runId, pythonVersion: created?.pythonVersion ?? undefined }),
        );
        const files: RunFolderFiles = new Map([
          [benchmark.notebook.file, new TextEncoder().encode(notebook)],
          ['run.json', new TextEncoder().encode(serializeRunJson(assembleRunJson(parts)))],
        ]);
        await onCheckpoint({ folderPath, files: redactFiles(files, keys).files });
      } catch (error) {
        if (!checkpointFailed)
          warnings.push(`the partial run could not be saved: ${message(error)}`);
        checkpointFailed = true;
      }
    });
  };
  const onEvent = (event: AgentEvent) => {
    options.onEvent?.(event);
    if (progress.observe(event)) checkpoint();
  };

  let result: AgentRunResult | null = null;
  let files: RunFolderFiles = new Map();
  let harnessError: string | null = null;
  let preflightError: string | null = null;
  try {
    // Preflight: the sandbox starts and loads the run's packages before the model's first turn. If it
    // cannot, the environment failed (not the model): the run ends here with environment_error.
    try {
      created = await sandboxStarted;
      await created.sandbox.ready;
    } catch (error) {
      preflightError = message(error);
      throw error;
    }
    if (created.warning) warnings.push(created.warning);
    const sandbox: PythonSandbox = created.sandbox;
    await sandbox.writeFile(configFile, new TextEncoder().encode(served.supabaseJson));
    checkpoint();
    result = await runAgent({
      model,
      sandbox,
      benchmark,
      sampling: options.sampling ?? {},
      budgets: options.budgets,
      signal: options.signal,
      onEvent,
      ...(options.protocol ? { protocol: options.protocol } : {}),
    });
    const collected = await collectFilesReport(sandbox, keys, [configFile]);
    files = collected.files;
    for (const name of collected.withheld) {
      warnings.push(`${name} was left out of the run folder: it contains the API key`);
    }
  } catch (error) {
    harnessError = message(error);
  }
  // The kernel is done with: it dies while the folder is assembled, and is gone before the run returns.
  const disposed = created?.sandbox.dispose().catch(() => undefined);

  const parts = result ? runJsonParts(result) : emptyParts(options, benchmark, startedAt);
  if (preflightError !== null) {
    parts.end_reason = 'environment_error';
    parts.end_detail = redactKeys(`the Python sandbox could not start: ${preflightError}`, keys);
  } else if (harnessError !== null) {
    parts.end_reason = 'harness_error';
    parts.end_detail = redactKeys(`the harness failed: ${harnessError}`, keys);
  }
  if (result) {
    const notebook = serializeNotebook(
      buildNotebook(result, { runId, pythonVersion: created?.pythonVersion ?? undefined }),
    );
    files = withRecordedNotebook(files, notebook, benchmark.notebook.file).files;
  }
  const runJson = assembleRunJson(parts);
  // No checkpoint may land after the final folder.
  await checkpoints;

  // An environment or harness failure is never the model's score: such a run is recorded, not scored.
  if (options.score !== false && !isEnvironmentFailure(parts.end_reason)) {
    const unscored = new Map(files);
    unscored.set('run.json', new TextEncoder().encode(serializeRunJson(runJson)));
    const finished = parts.end_reason !== 'aborted';
    try {
      const scored = await scoreRunWithCounterfactual(readRunFolderFiles(unscored), {
        benchmark: benchmark.scoring,
        oracle: benchmark.scoring.computeOracle(data.rows),
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
      const scorecard = scored.scorecard;
      // Stored so a place that cannot re-execute (the page importing this run) judges the same outcome.
      if (scored.counterfactual) runJson.counterfactual = scored.counterfactual;
      if (!finished)
        scorecard.notes.push(`counterfactual not run: the run ended with ${parts.end_reason}`);
      for (const warning of warnings) scorecard.notes.push(`warning: ${warning}`);
      runJson.scorecard = scorecard;
    } catch (error) {
      warnings.push(`scoring failed: ${message(error)}`);
    }
  }

  const encoded = encodeRunJson(runJson);
  // The last word on keys: nothing leaves with one, whatever wrote it; what is returned is what was written.
  const final = redactFiles(files, keys);
  for (const name of final.withheld) warnings.push(`${name} was left out: it contains the API key`);
  // run.json is redacted as text (it is 200 KB, most of it the snapshot: no round trip through bytes).
  const runJsonText = redactKeys(encoded.text, keys);
  final.files.set('run.json', new TextEncoder().encode(runJsonText));
  // Left as it was, run.json is the JSON of the object encodeRunJson checked; redacted, it is read back.
  const written =
    runJsonText === encoded.text ? encoded.data : RunJsonSchema.parse(JSON.parse(runJsonText));
  await disposed;
  return {
    runId,
    folderPath,
    files: final.files,
    runJson: written,
    scorecard: written.scorecard,
    warnings: warnings.map((w) => redactKeys(w, keys)),
    result,
    preflightError: preflightError === null ? null : redactKeys(preflightError, keys),
  };
}
