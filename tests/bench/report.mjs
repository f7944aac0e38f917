/* global Buffer -- Node's, for the report's byte size */
// `localds report` over 500 run folders (5 models × 2 scenarios × 10 seeds × 5 trials, each with three
// matplotlib charts of real size): its time and the report's size, against reading the same 500
// folders alone (every run.json parsed and checked, every chart read) measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildReport, collectRuns } from '@localds/cli/report';
import { realisticCharts, syntheticGrid, writeSyntheticRuns } from '../fixtures/synthetic-runs.mjs';

const REPEATS = 3;

async function best(fn) {
  let fastest = Infinity;
  let value;
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    value = await fn();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return { value, ms: fastest };
}

export const reportBench = {
  title: '`localds report` on 500 run folders (against reading the folders alone)',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'localds-bench-report-'));
    try {
      const specs = syntheticGrid({
        models: ['m1', 'm2', 'm3', 'm4', 'm5'],
        scenarios: ['canonical', 'srm'],
        seeds: 10,
        trials: 5,
      });
      const root = join(dir, 'runs');
      writeSyntheticRuns(root, specs, realisticCharts(join(dir, 'charts')));
      const read = await best(() => collectRuns([root]));
      const report = await best(() => buildReport([root]));
      const bytes = Buffer.byteLength(report.value.html);
      const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
      return [
        `runs: ${read.value.runs.length} folders, ${report.value.stats.groups.length} comparability groups, best of ${REPEATS}`,
        `read folders alone ${s(read.ms)}   report ${s(report.ms)}   ratio ${(report.ms / read.ms).toFixed(1)}x`,
        `report size ${(bytes / 1e6).toFixed(2)} MB (limit 25 MB), thumbnails left out: ${report.value.thumbnailsOmitted}`,
        // Most of the time is decoding 1,500 chart PNGs for their thumbnails; a busy machine shows it.
        `load average while measuring: ${loadavg()[0].toFixed(1)}`,
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
