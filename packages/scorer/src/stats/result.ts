/** A statistic that may be undefined for the data at hand. */
export type Stat = number | null;

/**
 * The outcome of one statistical procedure: each named value is a finite number or null, and every
 * null value has a plain-words reason (the oracle reports it under `undefined_reasons`).
 */
export interface StatResult<K extends string> {
  values: Record<K, Stat>;
  reasons: Partial<Record<K, string>>;
}

/** Builds a StatResult: a non-finite value becomes null with `fallback` as its reason unless one is given. */
export function statResult<K extends string>(
  values: Record<K, number | null>,
  reasons: Partial<Record<K, string>>,
  fallback: string,
): StatResult<K> {
  const out = {} as Record<K, Stat>;
  const why: Partial<Record<K, string>> = {};
  for (const key of Object.keys(values) as K[]) {
    const value = values[key];
    if (value !== null && Number.isFinite(value)) {
      out[key] = value;
    } else {
      out[key] = null;
      why[key] = reasons[key] ?? fallback;
    }
  }
  return { values: out, reasons: why };
}
