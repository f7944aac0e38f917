import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import {
  RunRecordSchema,
  recordProblem,
  runFactsOfFiles,
  upgradeFigures,
  type RunRecord,
} from './run-record.js';

/** A run's identity in history: one record per (benchmark, model, run id). */
type Identity = [benchmark: string, model: string, runId: string];

/** IndexedDB store of runs. Every read is validated; invalid records are returned as problems. */
interface RunsDb extends DBSchema {
  runs: { key: string; value: unknown; indexes: { createdAt: string; identity: Identity } };
  /** Visual benchmark runs (VisualRunRecord, ./visual-record.ts), validated on read like runs. */
  visualRuns: { key: string; value: unknown; indexes: { createdAt: string; benchmark: string } };
  /** Blind pairwise votes on visual runs (the scorer's Vote plus a record id). */
  votes: { key: string; value: unknown; indexes: { createdAt: string } };
}

const DB_NAME = 'localds';
/**
 * 1: records of schema 1. 2: records of schema 2 (run facts) and the identity index. 3: records of
 * schema 3 (figures in every benchmark's shape). 4: the visual runs and votes stores (runs unchanged).
 */
const DB_VERSION = 4;

/**
 * An older record as the current schema, one step at a time: schema 1 → 2 reads the run facts from its
 * own run.json; 2 → 3 moves the figures' decision fields under `decision`. Others pass unchanged.
 */
export function upgradeRecord(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  let record = value as Record<string, unknown>;
  if (record.schema === 1) {
    const files = (record.files ?? {}) as Record<string, Uint8Array>;
    record = { ...record, ...runFactsOfFiles(files), schema: 2 };
  }
  if (record.schema === 2) {
    record = {
      ...record,
      reported: record.reported === null ? null : upgradeFigures(record.reported),
      oracle: upgradeFigures(record.oracle),
      schema: 3,
    };
  }
  return record;
}

/** Every stored record upgraded in place (the cursor walk of one versionchange transaction). */
async function upgradeRecords(
  tx: IDBPTransaction<RunsDb, ('runs' | 'visualRuns' | 'votes')[], 'versionchange'>,
) {
  const store = tx.objectStore('runs');
  for (let cursor = await store.openCursor(); cursor; cursor = await cursor.continue()) {
    await cursor.update(upgradeRecord(cursor.value));
  }
}

let dbPromise: Promise<IDBPDatabase<RunsDb>> | null = null;

/** The page's one database (runs, visual runs, votes), opened and upgraded once per tab. */
export function db(): Promise<IDBPDatabase<RunsDb>> {
  dbPromise ??= openDB<RunsDb>(DB_NAME, DB_VERSION, {
    // Each step upgrades from the version before it, so any older store reaches this one.
    async upgrade(database, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        const store = database.createObjectStore('runs', { keyPath: 'id' });
        store.createIndex('createdAt', 'createdAt');
      }
      if (oldVersion < 2) {
        tx.objectStore('runs').createIndex('identity', ['benchmark.id', 'model.name', 'runId']);
      }
      if (oldVersion < 4) {
        const visual = database.createObjectStore('visualRuns', { keyPath: 'id' });
        visual.createIndex('createdAt', 'createdAt');
        visual.createIndex('benchmark', 'benchmark.id');
        database
          .createObjectStore('votes', { keyPath: 'id' })
          .createIndex('createdAt', 'createdAt');
      }
      // upgradeRecord takes any older record to the current schema in one pass.
      if (oldVersion < DB_VERSION) await upgradeRecords(tx);
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

/**
 * Saves an imported run under its identity (benchmark, model, run id): a run already in history is
 * updated in place (its record id and date kept), never duplicated. Says which happened.
 */
export async function saveImportedRun(
  record: RunRecord,
): Promise<{ id: string; updated: boolean }> {
  const identity: Identity = [record.benchmark.id, record.model.name, record.runId];
  const existing = (await (await db()).getAllFromIndex('runs', 'identity', identity)) as {
    id?: unknown;
    createdAt?: unknown;
  }[];
  const first = existing[0];
  if (!first || typeof first.id !== 'string') {
    await saveRun(record);
    return { id: record.id, updated: false };
  }
  const createdAt = typeof first.createdAt === 'string' ? first.createdAt : record.createdAt;
  await saveRun({ ...record, id: first.id, createdAt });
  return { id: first.id, updated: true };
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
