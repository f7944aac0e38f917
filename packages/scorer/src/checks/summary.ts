import type { z } from 'zod';
import type { RunFolder } from '../run-folder/read.js';
import type { CheckOutcome } from './table.js';

/** Why there is no summary: refused on reading (a symlink, a FIFO, too large) or simply absent. */
export function summaryMissing(folder: RunFolder): string {
  const refused = folder.refused.find((r) => r.path === 'summary.json');
  return refused ? `summary.json refused: ${refused.reason}` : 'summary.json not found';
}

/** Full mode: the summary validates against the benchmark's zod schema (required and typed). */
export function fullSummaryValid(folder: RunFolder, schema: z.ZodType): CheckOutcome {
  const file = folder.summary;
  if (!file) return { pass: false, detail: summaryMissing(folder) };
  if (!file.json.ok) return { pass: false, detail: `parse error: ${file.json.error}` };
  const parsed = schema.safeParse(file.json.value);
  if (parsed.success) return { pass: true, detail: 'valid against the benchmark summary schema' };
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { pass: false, detail: `schema: ${issues.join('; ')}` };
}
