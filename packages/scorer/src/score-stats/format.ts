/**
 * How the statistics of scores are written for a reader, shared by the CLI's report and the page so
 * that the same runs read the same everywhere (and a test can compare the two as text).
 */

/** A score or score difference in points, one decimal; "—" for none. */
export const formatScore = (x: number | null): string => (x === null ? '—' : x.toFixed(1));

/** A p-value: three decimals, or scientific notation below 0.001 so that a tiny p never reads 0. */
export const formatP = (p: number | null): string =>
  p === null ? '—' : p < 0.001 ? p.toExponential(2) : p.toFixed(3);

/** A bootstrap interval, or "n too small" when there is none. */
export const formatInterval = (i: { low: number | null; high: number | null }): string =>
  i.low === null || i.high === null
    ? 'n too small'
    : `${formatScore(i.low)} – ${formatScore(i.high)}`;

/** pass^k to three decimals. */
export const formatPassK = (value: number): string => value.toFixed(3);
