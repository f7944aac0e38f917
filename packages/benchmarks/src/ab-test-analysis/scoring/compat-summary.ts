import {
  pyJsonDumpsLength,
  summaryMissing,
  type CheckOutcome,
  type RunFolder,
} from '@localds/scorer';

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
