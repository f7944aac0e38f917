import type { VisualRunRecord } from '../storage/visual-record.js';

export type GalleryGrouping = 'prompt' | 'model';

/** Runs grouped by prompt (benchmark id) or by model name, groups and runs in a stable order. */
export function groupRuns(
  runs: readonly VisualRunRecord[],
  by: GalleryGrouping,
): { key: string; runs: VisualRunRecord[] }[] {
  const groups = new Map<string, VisualRunRecord[]>();
  for (const run of runs) {
    const key = by === 'prompt' ? run.benchmark.id : run.model.name;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => ({ key, runs: list }));
}
