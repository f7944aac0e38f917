import { SummarySchema } from '@localds/benchmarks';
import type { z } from 'zod';
import type { RunFolder } from '../run-folder/read.js';
import { pyJsonDumpsLength } from './py.js';
import type { CheckOutcome } from './table.js';

const REQUIRED = ['status', 'recommended_variant', 'raw_stats'];
const RAW_REQUIRED = [
  'p_value',
  'cohens_d',
  'mean_a',
  'mean_b',
  'completion_rate_a',
  'completion_rate_b',
  'srm_p_value',
];

export interface SummaryReading {
  outcome: CheckOutcome;
  /** The parsed summary as the other checks see it ({} when missing or unusable). */
  data: Record<string, unknown>;
  /** Set where the article's scorer would have stopped with a Python error. */
  problem: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why there is no summary: refused on reading (a symlink, a FIFO, too large) or simply absent. */
function summaryMissing(folder: RunFolder): string {
  const refused = folder.refused.find((r) => r.path === 'summary.json');
  return refused ? `summary.json refused: ${refused.reason}` : 'summary.json not found';
}

/**
 * The article's summary_valid: the file exists, parses (Python's json, so NaN is accepted), and has
 * the required keys — present, whatever their values (null passes; later checks then fail).
 */
export function compatSummaryValid(folder: RunFolder): SummaryReading {
  const file = folder.summary;
  if (!file)
    return { outcome: { pass: false, detail: summaryMissing(folder) }, data: {}, problem: null };
  if (!file.json.ok) {
    return {
      outcome: { pass: false, detail: `parse error: ${file.json.error}` },
      data: {},
      problem: null,
    };
  }
  const data = file.json.value;
  if (!isObject(data)) {
    const problem = "summary.json is not a JSON object (the article's scorer stops with an error)";
    return { outcome: { pass: false, detail: problem }, data: {}, problem };
  }
  const missing = REQUIRED.filter((f) => !Object.hasOwn(data, f));
  if (Object.hasOwn(data, 'raw_stats')) {
    if (!isObject(data.raw_stats)) {
      const problem = "raw_stats is not an object (the article's scorer stops with an error)";
      return {
        outcome: { pass: false, detail: problem },
        data: { ...data, raw_stats: {} },
        problem,
      };
    }
    const raw = data.raw_stats;
    missing.push(
      ...RAW_REQUIRED.filter((f) => !Object.hasOwn(raw, f)).map((f) => `raw_stats.${f}`),
    );
  }
  if (missing.length) {
    return {
      outcome: { pass: false, detail: `missing: ${missing.join(', ')}` },
      data,
      problem: null,
    };
  }
  const bytes = pyJsonDumpsLength(data);
  return {
    outcome: { pass: true, detail: `parsed ${bytes} bytes, all required fields present` },
    data,
    problem: null,
  };
}

/** Full mode: the summary validates against the benchmark's zod schema (required and typed). */
export function fullSummaryValid(
  folder: RunFolder,
  schema: z.ZodType = SummarySchema,
): CheckOutcome {
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
