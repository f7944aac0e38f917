import type { DataRow } from '../benchmark-scoring.js';
import type { CounterfactualRecord } from '../run-folder/counterfactual-record.js';
import { codeCells } from '../run-folder/notebook.js';
import { parsePythonJson } from '../run-folder/python-json.js';
import type { RunFolder, RunFolderFiles } from '../run-folder/read.js';
import type { RunJson } from '../run-folder/run-json.js';
import { sha256Hex } from '../run-folder/snapshot.js';

/**
 * What full mode asks of a re-execution: run the recorded cells again, without the model, with the
 * resampled rows served at the same URL. Supplied by the caller (the agent package), never imported.
 */
export interface ReexecuteRequest {
  seed: number;
  /** The run's recorded code cells, in order. */
  cells: string[];
  /** The rows to serve in place of the originals, at `tableUrl`. */
  rows: DataRow[];
  /** The table URL the run read (run.json `data.table_url`, no key). */
  tableUrl: string | null;
}

export interface ReexecuteResult {
  /** summary.json as the re-executed cells wrote it; null when they wrote none. */
  summaryText: string | null;
  /** Every file the re-executed cells wrote. */
  files: RunFolderFiles;
  /** Set when the re-execution itself failed (sandbox error, timeout). */
  error?: string | null;
}

export type Reexecute = (request: ReexecuteRequest) => Promise<ReexecuteResult>;

/** The counterfactual verdict on one statistic or decision. */
export interface Verdict {
  /** True only when the value stayed put although the data moved: hard-coded. */
  fails: boolean;
  detail: string;
}

/** The re-executed summary as an object, or why it cannot be judged. */
export function readResampledSummary(
  result: ReexecuteResult,
): { ok: true; data: Record<string, unknown> } | { ok: false; reason: string } {
  if (result.error) return { ok: false, reason: `re-execution failed: ${result.error}` };
  if (result.summaryText === null)
    return { ok: false, reason: 're-execution wrote no summary.json' };
  const parsed = parsePythonJson(result.summaryText);
  if (!parsed.ok) return { ok: false, reason: `re-executed summary.json: ${parsed.error}` };
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 're-executed summary.json is not an object' };
  }
  return { ok: true, data: value as Record<string, unknown> };
}

/**
 * The resample's identity: sha256 of its JSON with keys in sorted order, so rows generated in memory
 * and the same rows read back from a snapshot (whose key order may differ) hash alike.
 */
export async function resampleHash(resample: readonly DataRow[]): Promise<string> {
  const keys = [...new Set(resample.flatMap((r) => Object.keys(r)))].sort();
  return sha256Hex(new TextEncoder().encode(JSON.stringify(resample, keys)));
}

export const STORED_NOTE = ' (counterfactual outcome stored in run.json, not re-executed here)';

export interface CounterfactualInput {
  folder: RunFolder;
  run: RunJson;
  seed: number;
  /** The rows served in place of the originals (the benchmark's resample of the rows the run saw). */
  resample: DataRow[];
  reexecute: Reexecute | undefined;
  /** The fields of a re-executed summary.json the benchmark judges: all a stored outcome keeps. */
  judgedFields(summary: Record<string, unknown>): Record<string, unknown>;
  /** Which checks fall back to tolerances alone when no counterfactual can run (for the note). */
  fallback: string;
}

/**
 * What the run's code reports on a resample, without the model: from a re-execution now, or from
 * run.json's stored outcome for the same seed and resample. Null (with a note) when neither exists.
 * `stored` tells the caller to mark its verdicts as judged on a stored outcome.
 */
export async function counterfactualOutcome(
  input: CounterfactualInput,
  notes: string[],
): Promise<{ record: CounterfactualRecord; stored: boolean } | null> {
  const { reexecute, folder, run, seed, resample } = input;
  const resampleSha = await resampleHash(resample);
  if (!reexecute) {
    const kept = run.counterfactual;
    if (!kept) {
      notes.push(
        `counterfactual not run: no re-execution available; ${input.fallback} judged on tolerances only`,
      );
      return null;
    }
    if (kept.seed !== seed || kept.resample_sha256 !== resampleSha) {
      notes.push(
        'counterfactual not run: the outcome stored in run.json is for another resample (seed or rows differ) and no re-execution is available; judged on tolerances only',
      );
      return null;
    }
    return { record: kept, stored: true };
  }
  const notebook = folder.notebook?.notebook;
  if (!notebook) {
    notes.push('counterfactual not run: no readable notebook to re-execute');
    return null;
  }
  const cells = codeCells(notebook);
  let result: ReexecuteResult;
  try {
    result = await reexecute({ seed, cells, rows: resample, tableUrl: run.data.table_url });
  } catch (error) {
    result = { summaryText: null, files: new Map(), error: (error as Error).message };
  }
  const summary = readResampledSummary(result);
  const record: CounterfactualRecord = {
    seed,
    resample_sha256: resampleSha,
    cells: cells.length,
    outcome: summary.ok
      ? { ok: true, summary: input.judgedFields(summary.data) }
      : { ok: false, reason: summary.reason },
  };
  return { record, stored: false };
}
