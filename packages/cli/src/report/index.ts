/**
 * `localds report`: many run folders (from any number of machines) into one static HTML file with
 * the statistics of scores, their pictures and every run's scorecard.
 */
import { redactSecrets } from '@localds/scorer';
import {
  scoreStats,
  scoreTrialOfRunJson,
  type BootstrapOptions,
  type ScoreStats,
} from '@localds/scorer/score-stats';
import {
  checkHeatmapSpec,
  pairedDifferencesSpec,
  renderSvg,
  scoreDistributionSpec,
} from '@localds/scorer/score-charts';
import { collectRuns, type CollectProblem } from './collect.js';
import { reportHtml, type ReportPictures, type ReportRun } from './html.js';
import { thumbnailDataUrl } from './thumbnail.js';

export interface ReportOptions {
  bootstrap?: BootstrapOptions;
  /** Inline thumbnails until their data URLs reach this many bytes (default 12 MB). */
  thumbnailBudget?: number;
  /** The time written into the report (default now). */
  now?: Date;
}

export interface Report {
  html: string;
  stats: ScoreStats;
  runCount: number;
  problems: CollectProblem[];
  thumbnailsOmitted: number;
}

async function pictures(stats: ScoreStats): Promise<ReportPictures> {
  const out: ReportPictures = { distribution: new Map(), heatmap: new Map(), paired: new Map() };
  for (const group of stats.groups) {
    out.distribution.set(group.key, await renderSvg(scoreDistributionSpec(group)));
    out.heatmap.set(group.key, await renderSvg(checkHeatmapSpec(group)));
    for (const c of group.comparisons)
      out.paired.set(`${group.key}|${c.a}|${c.b}`, await renderSvg(pairedDifferencesSpec(c)));
  }
  return out;
}

export async function buildReport(
  paths: readonly string[],
  options: ReportOptions = {},
): Promise<Report> {
  const { runs, problems } = await collectRuns(paths);
  if (runs.length === 0) {
    const why = problems.length
      ? `; ${problems.length} could not be read (first: ${problems[0]!.path}: ${problems[0]!.message})`
      : '';
    throw new Error(`no run folder (a folder with a run.json) under ${paths.join(', ')}${why}`);
  }
  // Names and ids enter the statistics already redacted, so the embedded JSON holds no key either.
  const trials = runs.map((run) => {
    const trial = scoreTrialOfRunJson(run.runJson);
    return {
      ...trial,
      runId: redactSecrets(trial.runId),
      model: { ...trial.model, name: redactSecrets(trial.model.name) },
    };
  });
  const stats = scoreStats(trials, options.bootstrap);
  let budget = options.thumbnailBudget ?? 12_000_000;
  let thumbnailsOmitted = 0;
  const reportRuns: ReportRun[] = runs.map((run) => ({
    dir: run.dir,
    runJson: run.runJson,
    thumbnails: run.charts.map((chart) => {
      const dataUrl = budget > 0 ? thumbnailDataUrl(chart.bytes) : null;
      if (dataUrl) budget -= dataUrl.length;
      else thumbnailsOmitted++;
      return { name: chart.name, dataUrl };
    }),
  }));
  const html = reportHtml(stats, reportRuns, await pictures(stats), {
    generatedAt: (options.now ?? new Date()).toISOString(),
    problems,
    thumbnailsOmitted,
  });
  return { html, stats, runCount: runs.length, problems, thumbnailsOmitted };
}

export { collectRuns } from './collect.js';
