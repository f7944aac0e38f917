/**
 * The report as one self-contained HTML file: inline CSS, inline SVG pictures, inline thumbnails,
 * no script that runs and nothing fetched, so it opens from a file with no server and no network.
 * Every text that came from a run folder is escaped and passed through the key redaction.
 */
import { redactSecrets, type RunJson } from '@localds/scorer';
import {
  formatInterval,
  formatP,
  formatPassK,
  formatScore,
  type ExcludedTrial,
  type GroupStats,
  type ModelStats,
  type PairedComparison,
  type ScoreStats,
} from '@localds/scorer/score-stats';

export interface ReportRun {
  dir: string;
  runJson: RunJson;
  thumbnails: { name: string; dataUrl: string | null }[];
}

export interface ReportPictures {
  /** By group key. */
  distribution: Map<string, string>;
  heatmap: Map<string, string>;
  /** By `${groupKey}|${a}|${b}`. */
  paired: Map<string, string>;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Text from outside, safe inside HTML text and attribute values, with keys redacted. */
export const esc = (text: string | number): string =>
  redactSecrets(String(text)).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const pairKey = (group: string, c: PairedComparison) => `${group}|${c.a}|${c.b}`;

function leaderboard(group: GroupStats): string {
  const maxK = Math.max(...group.models.map((m) => m.n));
  const ks = Array.from({ length: Math.min(maxK, 5) }, (_, i) => i + 1);
  const row = (m: ModelStats) => `<tr data-model="${esc(m.model)}">
<th scope="row">${esc(m.model)}</th><td data-stat="n">${m.n}</td>
<td data-stat="mean">${formatScore(m.mean)}</td>
<td data-stat="interval" title="${esc(m.interval.reason ?? '')}">${formatInterval(m.interval)}</td>
<td data-stat="sd">${formatScore(m.sd)}</td><td data-stat="range">${formatScore(m.min)} – ${formatScore(m.max)}</td>
<td data-stat="perfect">${m.perfect} of ${m.n}</td>
${ks.map((k) => `<td data-stat="pass^${k}">${m.passK[k - 1] ? formatPassK(m.passK[k - 1]!.value) : '—'}</td>`).join('')}
</tr>`;
  return `<table class="leaderboard"><thead><tr><th>model</th><th>n</th><th>mean</th>
<th>95% interval</th><th>sd</th><th>range</th><th>at 100</th>
${ks.map((k) => `<th>pass^${k}</th>`).join('')}</tr></thead>
<tbody>${group.models.map(row).join('\n')}</tbody></table>`;
}

function comparisonBlock(group: GroupStats, c: PairedComparison, pictures: ReportPictures): string {
  const w = c.wilcoxon;
  const wilcoxon =
    w.p === null
      ? `Wilcoxon: ${esc(w.reason ?? 'undefined')}`
      : `Wilcoxon signed-rank: T = ${w.statistic}, p = ${formatP(w.p)} (${w.method}${w.z === null ? '' : `, z = ${w.z.toFixed(3)}`})`;
  const notes = [
    ...w.notes,
    ...(c.unpaired.length ? [`${c.unpaired.length} unpaired trial(s) left out`] : []),
  ];
  const unpaired = c.unpaired.length
    ? `<details><summary>Unpaired trials (${c.unpaired.length})</summary><ul>${c.unpaired
        .map((u) => `<li>${esc(u.model)} · ${esc(u.runId)}: ${esc(u.reason)}</li>`)
        .join('')}</ul></details>`
    : '';
  const checks = `<details><summary>McNemar per check</summary><table><thead><tr><th>check</th><th>pairs</th>
<th>only ${esc(c.a)}</th><th>only ${esc(c.b)}</th><th>p (exact)</th></tr></thead><tbody>${c.checks
    .map(
      (k) =>
        `<tr data-check="${esc(k.id)}"><th scope="row">${esc(k.id)}</th><td>${k.n}</td><td>${k.onlyA}</td><td>${k.onlyB}</td><td data-stat="p">${formatP(k.p)}</td></tr>`,
    )
    .join('')}</tbody></table></details>`;
  return `<section class="comparison" data-a="${esc(c.a)}" data-b="${esc(c.b)}">
<h4>${esc(c.a)} vs ${esc(c.b)}</h4>
<p><span data-stat="pairs">${c.pairs.length}</span> pairs · mean difference
<span data-stat="mean-diff">${formatScore(c.meanDiff)}</span> points, 95% interval
<span data-stat="diff-interval">${formatInterval(c.interval)}</span> ·
<span data-stat="wilcoxon">${wilcoxon}</span></p>
${notes.length ? `<p class="note">${notes.map(esc).join(' · ')}</p>` : ''}
<figure>${pictures.paired.get(pairKey(group.key, c)) ?? ''}</figure>
${checks}${unpaired}</section>`;
}

function groupSection(group: GroupStats, pictures: ReportPictures): string {
  const ex = group.excluded;
  const excluded = ex.environment + ex.interrupted + ex.unscored;
  return `<section class="group" data-group="${esc(group.key)}">
<h2>${esc(group.description)}</h2>
${leaderboard(group)}
${excluded ? `<p class="note">Left out of every number: ${ex.environment} environment or harness failure(s), ${ex.interrupted} stopped run(s), ${ex.unscored} unscored.</p>` : ''}
<h3>Scores</h3><p class="caption">Each trial a dot; the black tick is the mean, the red bar its 95% bootstrap interval.</p>
<figure>${pictures.distribution.get(group.key) ?? ''}</figure>
<h3>Checks</h3><p class="caption">Pass rate of each check per model.</p>
<figure>${pictures.heatmap.get(group.key) ?? ''}</figure>
<h3>Paired comparisons</h3>
${
  group.comparisons.length
    ? group.comparisons.map((c) => comparisonBlock(group, c, pictures)).join('\n')
    : '<p class="note">No two models share a trial (same seed and trial index) in this group.</p>'
}
</section>`;
}

function excludedSection(excluded: ExcludedTrial[]): string {
  if (!excluded.length) return '';
  return `<section><h2>Runs left out (${excluded.length})</h2>
<p>These runs say nothing about their model and count in no number above.</p>
<table><thead><tr><th>run</th><th>model</th><th>end reason</th><th>why</th></tr></thead><tbody>${excluded
    .map(
      (e) =>
        `<tr><td>${esc(e.runId)}</td><td>${esc(e.model)}</td><td>${esc(e.endReason)}</td><td>${esc(e.reason)}</td></tr>`,
    )
    .join('')}</tbody></table></section>`;
}

function runSection(run: ReportRun): string {
  const r = run.runJson;
  const card = r.scorecard;
  const score = card ? `${card.earned}/${card.total}` : 'unscored';
  const checks = card
    ? `<table><thead><tr><th>check</th><th>points</th><th>pass</th><th>detail</th></tr></thead><tbody>${Object.entries(
        card.checks,
      )
        .map(
          ([id, c]) =>
            `<tr data-check="${esc(id)}"><th scope="row">${esc(c.label)}</th><td>${c.earned}/${c.max}</td><td>${c.pass ? 'pass' : 'fail'}</td><td>${esc(c.detail)}</td></tr>`,
        )
        .join(
          '',
        )}</tbody></table>${card.notes.length ? `<ul>${card.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}`
    : '<p>No scorecard.</p>';
  const thumbs = run.thumbnails
    .map((t) =>
      t.dataUrl
        ? `<img src="${t.dataUrl}" alt="${esc(t.name)}" title="${esc(t.name)}">`
        : `<span class="note">${esc(t.name)}: not inlined</span>`,
    )
    .join('');
  return `<details class="run" data-run="${esc(r.run_id)}"><summary>${esc(r.model.name)}${r.scripted ? ' (scripted)' : ''} · ${score} · ${esc(r.end_reason)} · ${esc(r.run_id)}${r.trial_index ? ` · trial ${r.trial_index}` : ''}</summary>
<p>Folder: <code>${esc(run.dir)}</code>${r.end_detail ? ` · ${esc(r.end_detail)}` : ''}</p>
${checks}<div class="thumbs">${thumbs}</div></details>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0}th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
td[data-stat]{font-variant-numeric:tabular-nums}.note,.caption{color:#666}figure{margin:.5rem 0}
section.group{border-top:2px solid #444;margin-top:2rem}.thumbs img{margin:.25rem;border:1px solid #ddd}
details.run{border-bottom:1px solid #eee;padding:.25rem 0}code{font-size:12px}`;

export interface ReportMeta {
  generatedAt: string;
  problems: { path: string; message: string }[];
  thumbnailsOmitted: number;
}

/** The whole report. `stats` is embedded as JSON too, for tools and tests to read back. */
export function reportHtml(
  stats: ScoreStats,
  runs: ReportRun[],
  pictures: ReportPictures,
  meta: ReportMeta,
): string {
  const b = stats.bootstrap;
  const json = JSON.stringify(stats).replace(/</g, '\\u003c');
  const problems = meta.problems.length
    ? `<section><h2>Folders that could not be read (${meta.problems.length})</h2><ul>${meta.problems
        .map((p) => `<li><code>${esc(p.path)}</code>: ${esc(p.message)}</li>`)
        .join('')}</ul></section>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>localds report</title><style>${CSS}</style></head><body>
<h1>localds report</h1>
<p>${runs.length} run folder(s), generated ${esc(meta.generatedAt)}. Intervals: ${Math.round(b.level * 100)}% percentile bootstrap,
${b.resamples} resamples, seed ${b.seed}; "n too small" below 3 trials. Pairs: same benchmark, scenario, dataset seed and trial index.
Wilcoxon as SciPy 1.10.1's defaults; McNemar exact (two-sided binomial on discordant pairs). pass^k is the chance that k trials all score 100 (shown up to k = 5; every k is in the statistics embedded as JSON).</p>
<p class="note">Notebooks and full-size charts are not embedded: each run below names its folder.${
    meta.thumbnailsOmitted
      ? ` ${meta.thumbnailsOmitted} thumbnail(s) left out to keep this file small.`
      : ''
  }</p>
${problems}
${stats.groups.map((g) => groupSection(g, pictures)).join('\n')}
${excludedSection(stats.excluded)}
<section><h2>Runs</h2>${runs.map(runSection).join('\n')}</section>
<script type="application/json" id="score-stats">${json}</script>
</body></html>
`;
}
