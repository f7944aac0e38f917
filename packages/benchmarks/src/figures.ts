import type { Figures } from './definition.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A run's figures as its summary.json reports them: the decision fields that are strings, and every
 * finite number under `raw_stats` (anything else null). Null when the summary is not a JSON object.
 * Shared by the benchmarks whose summary has a `raw_stats` object.
 */
export function summaryFigures(
  summary: unknown,
  decisionFields: readonly string[],
): Figures | null {
  if (!isObject(summary)) return null;
  const raw = isObject(summary.raw_stats) ? summary.raw_stats : {};
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    decision: Object.fromEntries(decisionFields.map((field) => [field, text(summary[field])])),
    raw_stats: Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [
        k,
        typeof v === 'number' && Number.isFinite(v) ? v : null,
      ]),
    ),
  };
}
