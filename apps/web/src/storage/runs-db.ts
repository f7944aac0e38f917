import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { RunRecordSchema, recordProblem, type RunRecord } from './run-record.js';

/** IndexedDB store of runs. Every read is validated; invalid records are returned as problems. */
interface RunsDb extends DBSchema {
  runs: { key: string; value: unknown; indexes: { createdAt: string } };
}

const DB_NAME = 'localds';
const DB_VERSION = 1;

let dbPromise: Promise<IDBPDatabase<RunsDb>> | null = null;

function db(): Promise<IDBPDatabase<RunsDb>> {
  dbPromise ??= openDB<RunsDb>(DB_NAME, DB_VERSION, {
    upgrade(database) {
      const store = database.createObjectStore('runs', { keyPath: 'id' });
      store.createIndex('createdAt', 'createdAt');
    },
  });
  return dbPromise;
}

export interface InvalidRecord {
  id: string;
  problem: string;
}

export interface RunList {
  runs: RunRecord[];
  invalid: InvalidRecord[];
}

/** Saves (or replaces) a run; validated first so the store never holds a malformed record. */
export async function saveRun(record: RunRecord): Promise<void> {
  const parsed = RunRecordSchema.safeParse(record);
  if (!parsed.success) throw new Error(`run not saved: ${recordProblem(parsed.error)}`);
  await (await db()).put('runs', parsed.data);
}

/** All runs, newest first. */
export async function listRuns(): Promise<RunList> {
  const values = await (await db()).getAllFromIndex('runs', 'createdAt');
  const runs: RunRecord[] = [];
  const invalid: InvalidRecord[] = [];
  for (const value of values.reverse()) {
    const parsed = RunRecordSchema.safeParse(value);
    if (parsed.success) runs.push(parsed.data);
    else {
      const id = (value as { id?: unknown }).id;
      invalid.push({ id: String(id), problem: recordProblem(parsed.error) });
    }
  }
  return { runs, invalid };
}

export type RunLookup = { ok: true; run: RunRecord } | { ok: false; error: string };

export async function getRun(id: string): Promise<RunLookup> {
  const value = await (await db()).get('runs', id);
  if (value === undefined) return { ok: false, error: `No run with id “${id}” in this browser.` };
  const parsed = RunRecordSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, error: `The stored run is damaged (${recordProblem(parsed.error)}).` };
  }
  return { ok: true, run: parsed.data };
}

export async function deleteRun(id: string): Promise<void> {
  await (await db()).delete('runs', id);
}
