import { BENCHMARK_IDS, getBenchmark, type AnyBenchmark } from '@localds/benchmarks';
import {
  decodeSnapshotRows,
  isEnvironmentFailure,
  modelSlug,
  readRunFolderFiles,
  redactSecrets,
  type RefusedFile,
  scoreRun,
  type RunFolder,
} from '@localds/scorer';
import {
  RUN_RECORD_SCHEMA,
  ranToItsEnd,
  runFacts,
  type Figures,
  type RunRecord,
} from '../storage/run-record.js';
import { scenarioData } from './oracle.js';
import { rowCountWarning } from './row-count.js';

export interface ImportChoice {
  benchmarkId: string;
  /** The scenario whose oracle scores a run without its own data snapshot. */
  scenario: string;
  seed: number | null;
  /** Overrides the model name found in the folder (run.json, metadata.json, folder path). */
  modelName?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The article harness's metadata.json may name the model; take the first string field that does. */
function metadataModel(metadata: unknown): string | null {
  if (!isObject(metadata)) return null;
  for (const key of ['model', 'model_name', 'model_id']) {
    const value = metadata[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return null;
}

/** `runs/<benchmark>/<model-slug>/<run-id>` → the slug and id, when the folder path has that shape. */
function fromLayout(folderPath: string): { model: string | null; runId: string | null } {
  const parts = folderPath.split('/').filter(Boolean);
  const at = parts.lastIndexOf('runs');
  if (at >= 0 && parts.length - at === 4) return { model: parts[at + 2]!, runId: parts[at + 3]! };
  return { model: null, runId: parts.at(-1) ?? null };
}

/** What the run's summary.json reports, in its benchmark's figures. */
export function reportedFigures(benchmark: AnyBenchmark, folder: RunFolder): Figures | null {
  const json = folder.summary?.json;
  return json?.ok ? benchmark.figures.ofSummary(json.value) : null;
}

/** The run's benchmark: the one run.json names, else the one chosen; a clear error for one we lack. */
function benchmarkOfRun(id: string): AnyBenchmark {
  if (BENCHMARK_IDS.includes(id)) return getBenchmark(id);
  throw new Error(
    `this is a run of the benchmark "${id}", which this workbench does not have (it has ${BENCHMARK_IDS.join(', ')})`,
  );
}

function safeSlug(name: string): string {
  try {
    return modelSlug(name);
  } catch {
    return 'model';
  }
}

function newId(): string {
  return globalThis.crypto.randomUUID();
}

export interface ImportedRun {
  record: RunRecord;
  /** Things the person importing should know (also kept in the scorecard's notes). */
  warnings: string[];
}

/**
 * Scores one imported run folder as it is scored everywhere else: in full mode when its run.json has a
 * trace (the counterfactual from the outcome run.json stored: nothing re-executes here), else in compat
 * mode; against an oracle from the run's own data snapshot when run.json carries one, else from the
 * chosen scenario. Turns it into a stored record.
 */
export async function importRunFolder(
  raw: Map<string, Uint8Array>,
  folderPath: string,
  choice: ImportChoice,
  /** Files refused before reading (symlinks and the like in a zip, oversize files). */
  refused: readonly RefusedFile[] = [],
): Promise<ImportedRun> {
  const folder = readRunFolderFiles(raw, refused);
  if (!folder.summary && !folder.notebook && !folder.runJson) {
    const why = folder.refused.map((r) => `${r.path} refused: ${r.reason}`).join('; ');
    throw new Error(
      `${folderPath || 'the selection'} has no summary.json, analysis.ipynb or run.json${why ? ` (${why})` : ''}`,
    );
  }
  const run = folder.runJson?.ok ? folder.runJson.value : null;
  const definition = benchmarkOfRun(run?.benchmark.id ?? choice.benchmarkId);
  const benchmark = run?.benchmark ?? { id: definition.id, version: definition.version };

  let rows = null;
  let oracleSource: RunRecord['oracleSource'] = {
    kind: 'scenario',
    scenario: choice.scenario,
    seed: choice.seed,
  };
  const notes: string[] = [];
  if (run?.data.snapshot) {
    try {
      rows = await decodeSnapshotRows(run.data.snapshot, definition.scoring.rowSchema);
      oracleSource = { kind: 'snapshot' };
    } catch (error) {
      notes.push(`${(error as Error).message}; scored against scenario ${choice.scenario} instead`);
    }
  }
  const scenario = rows
    ? { rows, oracle: definition.scoring.computeOracle(rows) }
    : scenarioData(definition, choice.scenario, choice.seed);
  // The mode is scoreRun's own rule (full when run.json has a trace), the same as localds score's.
  const scorecard = await scoreRun(folder, {
    benchmark: definition.scoring,
    oracle: scenario.oracle,
    rows: scenario.rows,
  });
  const sourceNote =
    oracleSource.kind === 'snapshot'
      ? "oracle from the run's data snapshot"
      : `oracle from scenario ${choice.scenario}${choice.seed === null ? '' : ` seed ${choice.seed}`}`;
  const warnings: string[] = [];
  if (oracleSource.kind === 'scenario') {
    const mismatch = rowCountWarning(
      folder.notebook?.notebook ?? null,
      choice.scenario,
      scenario.rows.length,
    );
    if (mismatch) warnings.push(mismatch);
  }
  scorecard.notes.unshift(sourceNote, ...notes, ...warnings.map((w) => `warning: ${w}`));

  const layout = fromLayout(folderPath);
  const modelName = redactSecrets(
    choice.modelName?.trim() ||
      run?.model.name ||
      metadataModel(folder.article.metadata) ||
      layout.model ||
      'unknown model',
  );
  // The snapshot's own scenario when it came from one, else the scenario the oracle was computed from.
  const snapshotSource = run?.data.snapshot?.source;
  const scenarioOrigin =
    snapshotSource?.kind === 'scenario'
      ? snapshotSource
      : oracleSource.kind === 'scenario'
        ? oracleSource
        : null;
  const record: RunRecord = {
    schema: RUN_RECORD_SCHEMA,
    id: newId(),
    runId: run?.run_id ?? layout.runId ?? `import-${new Date().toISOString()}`,
    createdAt: new Date().toISOString(),
    origin: 'import',
    // As the page keeps its own runs: a run that was stopped or whose harness failed is partial.
    state: run && !ranToItsEnd(run.end_reason) ? 'partial' : 'complete',
    benchmark,
    model: {
      name: modelName,
      provider: run?.model.provider ?? 'imported',
      slug: safeSlug(modelName),
    },
    scripted: run?.scripted ?? false,
    scenario: scenarioOrigin?.scenario ?? null,
    seed: scenarioOrigin?.seed ?? null,
    sampling: run?.sampling ?? null,
    oracleSource,
    files: Object.fromEntries(folder.files),
    // As the page keeps its own: a run the environment or harness ended is recorded, never scored.
    scorecard: run && isEnvironmentFailure(run.end_reason) ? null : scorecard,
    reported: reportedFigures(definition, folder),
    oracle: definition.figures.ofOracle(scenario.oracle),
    ...runFacts(run),
  };
  return { record, warnings };
}
