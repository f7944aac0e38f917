import {
  formatInterval,
  formatP,
  formatScore,
  type GroupStats,
  type PairedComparison,
  type ScoreStats,
} from '@localds/scorer/score-stats';
import { PassKCells, PassKHeads, shownKs } from './PassK.js';
import { StatsChart } from './StatsChart.js';

function ModelTable({ group }: { group: GroupStats }) {
  const ks = shownKs(group.models.map((m) => m.n));
  return (
    <div className="table-wrap">
      <table className="score-stats">
        <caption>Mean score with its 95% bootstrap interval, spread and pass^k per model</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">n</th>
            <th scope="col">Mean</th>
            <th scope="col">95% interval</th>
            <th scope="col">sd</th>
            <th scope="col">Range</th>
            <th scope="col">At 100</th>
            <PassKHeads ks={ks} />
          </tr>
        </thead>
        <tbody>
          {group.models.map((m) => (
            <tr key={m.model} data-model={m.model}>
              <th scope="row">{m.model}</th>
              <td className="num" data-stat="n">
                {m.n}
              </td>
              <td className="num" data-stat="mean">
                {formatScore(m.mean)}
              </td>
              <td className="num" data-stat="interval" title={m.interval.reason ?? undefined}>
                {formatInterval(m.interval)}
              </td>
              <td className="num" data-stat="sd">
                {formatScore(m.sd)}
              </td>
              <td className="num" data-stat="range">
                {formatScore(m.min)} – {formatScore(m.max)}
              </td>
              <td className="num" data-stat="perfect">
                {m.perfect} of {m.n}
              </td>
              <PassKCells ks={ks} passK={m.passK} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Comparison({ c }: { c: PairedComparison }) {
  const w = c.wilcoxon;
  return (
    <section className="comparison" data-a={c.a} data-b={c.b}>
      <h4>
        {c.a} vs {c.b}
      </h4>
      <p>
        <span data-stat="pairs">{c.pairs.length}</span> pairs · mean difference{' '}
        <span data-stat="mean-diff">{formatScore(c.meanDiff)}</span> points, 95% interval{' '}
        <span data-stat="diff-interval">{formatInterval(c.interval)}</span> ·{' '}
        <span data-stat="wilcoxon">
          {w.p === null
            ? `Wilcoxon: ${w.reason ?? 'undefined'}`
            : `Wilcoxon signed-rank: T = ${w.statistic}, p = ${formatP(w.p)} (${w.method}${w.z === null ? '' : `, z = ${w.z.toFixed(3)}`})`}
        </span>
      </p>
      {w.notes.length > 0 && <p className="muted small">{w.notes.join(' · ')}</p>}
      <StatsChart
        picture={{ kind: 'paired', comparison: c }}
        label={`paired differences, ${c.a} − ${c.b}`}
      />
      <div className="table-wrap">
        <table className="mcnemar">
          <caption>Per check: exact McNemar test on the pairs where both were judged</caption>
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Pairs</th>
              <th scope="col">Only {c.a}</th>
              <th scope="col">Only {c.b}</th>
              <th scope="col">p (exact)</th>
            </tr>
          </thead>
          <tbody>
            {c.checks.map((k) => (
              <tr key={k.id} data-check={k.id}>
                <th scope="row" className="mono small">
                  {k.id}
                </th>
                <td className="num">{k.n}</td>
                <td className="num">{k.onlyA}</td>
                <td className="num">{k.onlyB}</td>
                <td className="num" data-stat="p">
                  {formatP(k.p)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {c.unpaired.length > 0 && (
        <details className="block" data-testid="unpaired">
          <summary>{c.unpaired.length} unpaired trial(s), left out of the paired numbers</summary>
          <ul className="small">
            {c.unpaired.map((u) => (
              <li key={`${u.model}|${u.runId}`}>
                {u.model} · <span className="mono">{u.runId}</span>: {u.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function Group({ group }: { group: GroupStats }) {
  const ex = group.excluded;
  const left = ex.environment + ex.interrupted + ex.unscored;
  return (
    <section className="stats-group" data-group={group.key}>
      <h3>{group.description}</h3>
      <ModelTable group={group} />
      {left > 0 && (
        <p className="notice" role="note">
          Left out of every number: {ex.environment} environment or harness failure(s),{' '}
          {ex.interrupted} stopped run(s), {ex.unscored} unscored.
        </p>
      )}
      <p className="muted small">
        Each trial a dot; the black tick is the mean, the red bar its 95% bootstrap interval.
      </p>
      <StatsChart picture={{ kind: 'distribution', group }} label="score distribution per model" />
      <p className="muted small">Pass rate of each check per model.</p>
      <StatsChart picture={{ kind: 'heatmap', group }} label="pass rate per model and check" />
      <h4>Paired comparisons</h4>
      {group.comparisons.length ? (
        group.comparisons.map((c) => <Comparison key={`${c.a}|${c.b}`} c={c} />)
      ) : (
        <p className="muted">
          No two models share a trial (same dataset seed and trial index) in this group.
        </p>
      )}
    </section>
  );
}

/**
 * The statistics of scores of a set of runs, as the CLI's report shows them and from the same module:
 * per comparability group the models' means with intervals and pass^k, the pictures, and every paired
 * comparison (mean difference with its interval, Wilcoxon, per-check McNemar, unpaired trials listed).
 */
export function ScoreStatsView({ stats }: { stats: ScoreStats }) {
  const b = stats.bootstrap;
  return (
    <section aria-labelledby="score-stats-title" className="score-stats-view">
      <h2 id="score-stats-title">Verdicts with error bars</h2>
      <p className="muted small">
        Intervals: {Math.round(b.level * 100)}% percentile bootstrap, {b.resamples} resamples, seed{' '}
        {b.seed}; &ldquo;n too small&rdquo; below 3 trials. A pair is one trial of each model on the
        same benchmark, scenario, dataset seed and trial index. Wilcoxon signed-rank as SciPy
        1.10.1&rsquo;s defaults; McNemar exact. pass^k is the chance that k trials all score 100.
      </p>
      {stats.groups.length === 0 && <p className="muted">No scored trials among these runs.</p>}
      {stats.groups.map((g) => (
        <Group key={g.key} group={g} />
      ))}
      {stats.excluded.length > 0 && (
        <p className="muted small" data-testid="excluded-runs">
          {stats.excluded.length} run(s) say nothing about their model (environment or harness
          failure, stopped, unscored) and count in no number above.
        </p>
      )}
    </section>
  );
}
