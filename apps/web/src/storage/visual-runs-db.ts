import { recordProblem } from './run-record.js';
import { db, type InvalidRecord } from './runs-db.js';
import { VisualRunRecordSchema, type VisualRunRecord } from './visual-record.js';

export interface VisualRunList {
  runs: VisualRunRecord[];
  invalid: InvalidRecord[];
}

/** Visual runs (all, or one prompt's), newest first; invalid records are reported, not dropped. */
export async function listVisualRuns(benchmark?: string): Promise<VisualRunList> {
  const database = await db();
  const values =
    benchmark === undefined
      ? await database.getAllFromIndex('visualRuns', 'createdAt')
      : await database.getAllFromIndex('visualRuns', 'benchmark', benchmark);
  const runs: VisualRunRecord[] = [];
  const invalid: InvalidRecord[] = [];
  for (const value of values) {
    const parsed = VisualRunRecordSchema.safeParse(value);
    if (parsed.success) runs.push(parsed.data);
    else {
      const id = (value as { id?: unknown }).id;
      invalid.push({ id: String(id), problem: recordProblem(parsed.error) });
    }
  }
  runs.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  return { runs, invalid };
}
