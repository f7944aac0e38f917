import { recordProblem } from './run-record.js';
import { db, type InvalidRecord } from './runs-db.js';
import { VisualRunRecordSchema, type VisualRunRecord } from './visual-record.js';

export interface VisualRunList {
  runs: VisualRunRecord[];
  invalid: InvalidRecord[];
}

/** Saves (or replaces) a visual run; validated first so the store never holds a malformed record. */
export async function saveVisualRun(record: VisualRunRecord): Promise<void> {
  const parsed = VisualRunRecordSchema.safeParse(record);
  if (!parsed.success) throw new Error(`visual run not saved: ${recordProblem(parsed.error)}`);
  await (await db()).put('visualRuns', parsed.data);
}

/**
 * Saves an imported visual run under its identity (benchmark, model, run id): one already here is
 * updated in place (its record id and date kept), never duplicated. Says which happened.
 */
export async function saveImportedVisualRun(
  record: VisualRunRecord,
): Promise<{ id: string; updated: boolean }> {
  const { runs } = await listVisualRuns();
  const same = runs.find(
    (r) =>
      r.benchmark.id === record.benchmark.id &&
      r.model.name === record.model.name &&
      r.runId === record.runId,
  );
  if (!same) {
    await saveVisualRun(record);
    return { id: record.id, updated: false };
  }
  await saveVisualRun({ ...record, id: same.id, createdAt: same.createdAt });
  return { id: same.id, updated: true };
}

/** All visual runs, newest first; records that fail validation are listed as problems. */
export async function listVisualRuns(): Promise<VisualRunList> {
  const values = await (await db()).getAllFromIndex('visualRuns', 'createdAt');
  const runs: VisualRunRecord[] = [];
  const invalid: InvalidRecord[] = [];
  for (const value of values.reverse()) {
    const parsed = VisualRunRecordSchema.safeParse(value);
    if (parsed.success) runs.push(parsed.data);
    else
      invalid.push({
        id: String((value as { id?: unknown }).id),
        problem: recordProblem(parsed.error),
      });
  }
  return { runs, invalid };
}

export type VisualRunLookup = { ok: true; run: VisualRunRecord } | { ok: false; error: string };

export async function getVisualRun(id: string): Promise<VisualRunLookup> {
  const value = await (await db()).get('visualRuns', id);
  if (value === undefined)
    return { ok: false, error: `No visual run with id “${id}” in this browser.` };
  const parsed = VisualRunRecordSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      error: `The stored visual run is damaged (${recordProblem(parsed.error)}).`,
    };
  }
  return { ok: true, run: parsed.data };
}

export async function deleteVisualRun(id: string): Promise<void> {
  await (await db()).delete('visualRuns', id);
}
