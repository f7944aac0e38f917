// The run machinery, loaded on first use (Pyodide's worker, the agent loop; WebLLM only for a
// WebLLM run): one trial of a benchmark in this page, streamed into the live store and saved to
// IndexedDB as it goes.
import { getBenchmark, type AnyBenchmark } from '@localds/benchmarks';
import type { AgentEvent, CellRecord } from '@localds/agent/loop';
import { createReplayModel, type ChatModel } from '@localds/agent/model';
import type { BrowserWorkerSandbox } from '@localds/agent/browser';
import {
  providerOf,
  runBenchmark,
  type DataOptions,
  type PackagesChoice,
  type SandboxFactory,
} from '@localds/agent/run';
import {
  decodeSnapshotRows,
  isEnvironmentFailure,
  modelSlug,
  readRunFolderFiles,
  type RunJson,
} from '@localds/scorer';
import { pngDataUrl } from '../components/Charts.js';
import { saveRun } from '../storage/runs-db.js';
import { RUN_RECORD_SCHEMA, ranToItsEnd, runFacts, type RunRecord } from '../storage/run-record.js';
import { openAIChatModel, PROVIDER_OF_SOURCE, webLLMChatModel } from './chat-models.js';
import { reportedFigures } from './import-run.js';
import { getLive, updateLive, withToolCallPiece, type LiveCell } from './live-store.js';
import { scenarioData } from './oracle.js';
import type { RunSecrets, RunSettings } from './run-settings.js';
import { demoOf, planOfRun, samePlan, type SandboxPlan } from './sandbox-plan.js';
import { startSandbox, type SandboxProgress } from './start-sandbox.js';
import type { WarmSandbox } from './warm-sandbox.js';

declare const __PYODIDE_VERSION__: string;

/** Set when a trial's first cell starts: what "first cell sooner" is measured by (tests/bench). */
export const FIRST_CELL_MARK = 'localds:first-cell';

async function buildModel(recordId: string, settings: RunSettings, secrets: RunSecrets) {
  const choice = settings.model;
  if (choice.source === 'scripted') {
    return createReplayModel(demoOf(getBenchmark(settings.benchmark)).replay, {
      name: 'scripted-demo',
    });
  }
  if (choice.source === 'openai') return openAIChatModel(choice, secrets.apiKey);
  updateLive(recordId, () => ({ phase: 'loading-model' }));
  return webLLMChatModel(choice, (modelProgress) =>
    updateLive(recordId, () => ({ modelProgress })),
  );
}

/** What the user can do when the packages cannot be loaded (shown with the preflight error). */
const PACKAGES_FIX =
  'To fix it: self-host the Pyodide distribution (the "full" release of the same Pyodide version) and ' +
  'set its URL in Settings → "Pyodide package index URL", or turn on "Standard library only" in Settings ' +
  '(such runs are scored in a group of their own).';

/** The run did not start: the sandbox could not load what it needs. Nothing is recorded. */
export class PreflightError extends Error {
  override name = 'PreflightError';
}

/** How the run's sandbox came to be ready, for run.json's isolation report (`start`). */
export interface SandboxStart {
  /** started on the benchmark page before Run (with no data until the run connected it) */
  prestarted: boolean;
  /** its worker's boot, from Pyodide's load to the kernel (ms) */
  bootMs: number | null;
  /** how long the run waited for it: from asking for a sandbox to one ready with its data (ms) */
  waitedMs: number;
}

/**
 * The run's sandboxes (see start-sandbox.ts): the first is the one pre-started on the benchmark page
 * when `takePrestarted` hands one over, connected to the run's data here; every other one (the
 * counterfactual's) starts fresh. A pre-started one that failed to start fails the run exactly as a
 * cold start would.
 */
function sandboxFactory(
  recordId: string,
  plan: SandboxPlan,
  takePrestarted: () => WarmSandbox | null,
  onSandbox: (s: BrowserWorkerSandbox) => void,
): SandboxFactory {
  const { packages } = plan;
  const stage = (line: string) =>
    updateLive(recordId, (run) => ({ pyodideStages: [...run.pyodideStages, line] }));
  const onProgress = ({ stage: name, ms }: SandboxProgress) =>
    stage(
      name === 'packages' && packages.length > 0
        ? `packages: ${packages.join(', ')} loaded (${Math.round(ms)} ms)`
        : `${name} (${Math.round(ms)} ms)`,
    );
  return async (setup) => {
    const warm = takePrestarted();
    stage(
      packages.length > 0
        ? `loading packages ${packages.join(', ')} from ${plan.packageIndexUrl}`
        : 'standard library only: no packages to load',
    );
    const asked = performance.now();
    const data = await setup.data.catch((error: unknown) => {
      warm?.discard();
      throw error;
    });
    let sandbox: BrowserWorkerSandbox | undefined;
    try {
      if (warm) {
        // Its stages so far at once, the rest as they come: the run shows them as a cold start's.
        warm.followProgress(onProgress);
        sandbox = await warm.sandbox;
        await sandbox.ready;
        // Until now its worker refused every request: no cell has run, and none was asked for.
        await sandbox.connectData(data);
      } else {
        // Served inside the worker; in Supabase mode it reaches the live project and records drift.
        sandbox = startSandbox(plan, onProgress, data);
        await sandbox.ready;
      }
    } catch (error) {
      if (sandbox) await sandbox.dispose().catch(() => undefined);
      else warm?.discard();
      stage(`failed: ${(error as Error).message}`);
      throw error;
    }
    const start: SandboxStart = {
      prestarted: warm !== null,
      bootMs: sandbox.bootTimesMs[0] ?? null,
      waitedMs: Math.round(performance.now() - asked),
    };
    if (warm) {
      const ago = ((asked - warm.startedAt) / 1000).toFixed(1);
      stage(
        `pre-started on the benchmark page ${ago} s before the run asked for it; the run waited ${start.waitedMs} ms for it`,
      );
    }
    onSandbox(sandbox);
    const ready = sandbox;
    return {
      sandbox: ready,
      loadedPackages: [...packages],
      isolationReport: () => ({ ...ready.isolationReport(), start }),
    };
  };
}

/** A notebook of the cells run so far, for a partial record (the real one is built at the end). */
function liveNotebook(cells: LiveCell[]): Uint8Array {
  const nb = {
    cells: cells.map((c) => ({
      cell_type: 'code',
      execution_count: c.executionCount,
      metadata: {},
      outputs: c.outputs,
      source: c.code,
    })),
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
  return new TextEncoder().encode(JSON.stringify(nb, null, 1));
}

export interface TrialResult {
  aborted: boolean;
  /** How the trial ended (run.json's end reason): an environment failure is not a score. */
  endReason: RunJson['end_reason'];
}

export interface TrialOptions {
  /** 1-based: the page's trials 1…N, recorded in run.json for paired comparisons. */
  trialIndex?: number;
  /**
   * The sandbox the benchmark page pre-started (claimed for this trial, see warm-sandbox.ts): the
   * trial owns it, and runs its first sandbox on it when it fits the trial's plan.
   */
  prestarted?: WarmSandbox | null;
}

/** Runs one trial, saving the record `recordId` after every turn and cell, then scored at the end. */
export async function runTrial(
  recordId: string,
  settings: RunSettings,
  secrets: RunSecrets,
  signal: AbortSignal,
  { trialIndex, prestarted = null }: TrialOptions = {},
): Promise<TrialResult> {
  const plan = planOfRun(settings);
  // Settings changed between the claim and now: start the sandbox this plan needs instead.
  let warm = prestarted && samePlan(prestarted.plan, plan) ? prestarted : null;
  if (prestarted && !warm) prestarted.discard();
  const takePrestarted = () => {
    const taken = warm;
    warm = null;
    return taken;
  };
  try {
    return await trial(recordId, settings, secrets, signal, plan, takePrestarted, trialIndex);
  } finally {
    // Not taken when the trial ended before asking for a sandbox (e.g. WebLLM failed to load).
    takePrestarted()?.discard();
  }
}

async function trial(
  recordId: string,
  settings: RunSettings,
  secrets: RunSecrets,
  signal: AbortSignal,
  plan: SandboxPlan,
  takePrestarted: () => WarmSandbox | null,
  trialIndex: number | undefined,
): Promise<TrialResult> {
  const benchmark = getBenchmark(settings.benchmark);
  const scripted = settings.model.source === 'scripted';
  // Every benchmark names its packages: none to load means the standard library only.
  const packages: PackagesChoice = plan.packages.length > 0 ? 'full' : 'stdlib-only';
  const modelName = settings.model.model;
  const embedded = settings.data.mode === 'embedded';
  const embeddedOracle = scenarioData(benchmark, settings.scenario, settings.seed);
  const createdAt = new Date().toISOString();
  const charts = new Map<string, Uint8Array>();
  let sandbox: BrowserWorkerSandbox | null = null;

  const base = (model: ChatModel | null): RunRecord => ({
    schema: RUN_RECORD_SCHEMA,
    id: recordId,
    runId: recordId,
    createdAt,
    origin: 'workbench',
    state: 'partial',
    benchmark: { id: benchmark.id, version: benchmark.version },
    model: {
      name: modelName,
      provider: model ? providerOf(model) : PROVIDER_OF_SOURCE[settings.model.source],
      slug: modelSlug(modelName),
    },
    scripted,
    scenario: embedded ? settings.scenario : null,
    seed: embedded ? settings.seed : null,
    sampling: { ...settings.sampling },
    oracleSource: embedded
      ? { kind: 'scenario', scenario: settings.scenario, seed: settings.seed }
      : { kind: 'snapshot' },
    files: {},
    scorecard: null,
    reported: null,
    oracle: benchmark.figures.ofOracle(embeddedOracle.oracle),
    ...runFacts(null),
    // Known before run.json exists: the environment the run was started with.
    environment: {
      packages,
      loaded: [...plan.packages],
    },
  });

  // Saves happen in order, one at a time; the latest state wins.
  let saving: Promise<void> = Promise.resolve();
  let current = base(null);
  const savePartial = () => {
    const live = getLive(recordId);
    const files: Record<string, Uint8Array> = Object.fromEntries(charts);
    if (live && live.cells.length > 0) files['analysis.ipynb'] = liveNotebook(live.cells);
    const record = { ...current, files };
    saving = saving.then(() => saveRun(record)).catch(() => undefined);
  };
  // Nothing is saved before the sandbox is ready (see onSandbox below): a run whose packages cannot
  // load never started, and leaves no record in history.

  let model: ChatModel;
  try {
    model = await buildModel(recordId, settings, secrets);
  } catch (error) {
    updateLive(recordId, () => ({ phase: 'failed', error: (error as Error).message }));
    await saving;
    throw error;
  }
  current = base(model);
  updateLive(recordId, () => ({ phase: 'running', startedAt: Date.now() }));

  let firstCellStarted = false;
  const onEvent = (event: AgentEvent) => {
    switch (event.type) {
      case 'turn_started':
        updateLive(recordId, (r) => ({
          turns: [...r.turns, { turn: event.turn, answer: '', reasoning: '' }],
        }));
        break;
      case 'token':
        updateLive(recordId, (r) => ({
          turns: r.turns.map((t) =>
            t.turn !== event.turn
              ? t
              : event.channel === 'reasoning'
                ? { ...t, reasoning: t.reasoning + event.text }
                : { ...t, answer: t.answer + event.text },
          ),
        }));
        break;
      case 'tool_call':
        updateLive(recordId, (r) => ({
          turns: r.turns.map((t) => (t.turn === event.turn ? withToolCallPiece(t, event) : t)),
        }));
        break;
      case 'turn_finished':
        updateLive(recordId, (r) => ({
          completionTokens: r.completionTokens + (event.usage?.completionTokens ?? 0),
          streamingMs: r.streamingMs + event.durationMs,
        }));
        savePartial();
        break;
      case 'cell_started':
        if (!firstCellStarted) {
          firstCellStarted = true;
          performance.mark(FIRST_CELL_MARK, { detail: { recordId } });
        }
        updateLive(recordId, (r) => ({
          cells: [
            ...r.cells,
            {
              index: event.cell,
              code: event.code,
              status: null,
              executionCount: null,
              outputs: [],
            },
          ],
        }));
        // Saved before it runs too: a cell that hangs or crashes the tab stays on record.
        savePartial();
        break;
      case 'cell_finished': {
        const cell: CellRecord = event.cell;
        updateLive(recordId, (r) => ({
          cells: r.cells.map((c) =>
            c.index !== cell.index
              ? c
              : {
                  ...c,
                  status: cell.status,
                  executionCount: cell.executionCount,
                  outputs: cell.outputs,
                },
          ),
        }));
        savePartial();
        break;
      }
      case 'file_written':
        if (event.name.endsWith('.png') && sandbox) {
          const name = event.name;
          void sandbox.readFile(name).then(
            (bytes) => {
              charts.set(name, bytes);
              updateLive(recordId, (r) => ({ charts: { ...r.charts, [name]: pngDataUrl(bytes) } }));
              savePartial();
            },
            () => undefined,
          );
        }
        break;
      case 'done':
        updateLive(recordId, () => ({
          phase: 'scoring',
          ...(isEnvironmentFailure(event.endReason)
            ? { environmentError: `${event.endReason}: ${event.detail ?? 'no detail'}` }
            : {}),
        }));
        break;
      default:
        break;
    }
  };

  const data: DataOptions =
    settings.data.mode === 'supabase'
      ? { kind: 'supabase', url: settings.data.url, key: secrets.supabaseAnonKey, live: true }
      : {
          kind: 'embedded',
          scenario: settings.scenario,
          seed: settings.seed ?? benchmark.dataset.defaultSeedOf(settings.scenario),
        };
  const run = await runBenchmark({
    benchmark,
    model,
    data,
    sandboxFactory: sandboxFactory(recordId, plan, takePrestarted, (s) => {
      // The counterfactual's re-execution makes sandboxes too: the run's own is the first.
      if (sandbox) return;
      sandbox = s;
      savePartial();
    }),
    packages,
    isolation: 'browser-worker',
    sampling: {
      temperature: settings.sampling.temperature,
      top_p: settings.sampling.top_p,
      max_tokens: settings.sampling.max_tokens,
      ...(settings.sampling.seed === null ? {} : { seed: settings.sampling.seed }),
    },
    budgets: {
      maxTurns: settings.budgets.max_turns,
      maxTotalTokens: 1_000_000,
      wallTimeMs: settings.budgets.time_limit_s * 1000,
      cellTimeoutMs: plan.timeoutMs,
      ...(settings.model.source === 'webllm' && settings.model.contextWindow
        ? { contextWindow: settings.model.contextWindow }
        : {}),
    },
    signal,
    onEvent,
    // Auto unless the form chose: WebLLM takes tools for its Hermes models only, a server when it
    // accepts them; a replay's file decides its own.
    protocol: (settings.model.source === 'openai' && settings.model.protocol) || 'auto',
    runId: recordId,
    modelName,
    ...(trialIndex === undefined ? {} : { trialIndex }),
    versions: { localds: '0.1.0', pyodide: __PYODIDE_VERSION__ },
  });

  await saving;
  if (run.preflightError !== null) {
    const where =
      packages === 'full'
        ? `the benchmark's packages (${plan.packages.join(', ')}) from ${plan.packageIndexUrl}`
        : 'the standard library';
    const message =
      `The run did not start: the Python sandbox could not load ${where}: ${run.preflightError}. ` +
      `Nothing was recorded. ${packages === 'full' ? PACKAGES_FIX : ''}`;
    updateLive(recordId, () => ({ phase: 'failed', error: message.trim() }));
    throw new PreflightError(message.trim());
  }
  const record = await finalRecord(benchmark, current, run.runJson, run.files);
  await saveRun(record);
  const aborted = run.runJson.end_reason === 'aborted';
  updateLive(recordId, () => ({ phase: 'done' }));
  return { aborted, endReason: run.runJson.end_reason };
}

/** The finished trial as a stored record: scored folder, figures, oracle (from the snapshot). */
async function finalRecord(
  benchmark: AnyBenchmark,
  base: RunRecord,
  runJson: RunJson,
  files: Map<string, Uint8Array>,
): Promise<RunRecord> {
  const folder = readRunFolderFiles(files);
  let oracle = base.oracle;
  if (base.oracleSource.kind === 'snapshot' && runJson.data.snapshot) {
    const rows = await decodeSnapshotRows(runJson.data.snapshot, benchmark.scoring.rowSchema);
    oracle = benchmark.figures.ofOracle(benchmark.scoring.computeOracle(rows));
  }
  const finished = ranToItsEnd(runJson.end_reason);
  return {
    ...base,
    runId: runJson.run_id,
    state: finished ? 'complete' : 'partial',
    files: Object.fromEntries(files),
    scorecard: runJson.scorecard,
    reported: reportedFigures(benchmark, folder),
    oracle,
    ...runFacts(runJson),
  };
}
