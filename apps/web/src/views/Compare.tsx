import { comparabilityKey, describeComparability, formatG } from '@localds/scorer';
import { scoreStats } from '@localds/scorer/score-stats';
import { useEffect, useMemo, useState } from 'react';
import { Charts, pngDataUrl } from '../components/Charts.js';
import { ScoreStatsView } from '../components/ScoreStatsView.js';
import {
  EmptyState,
  EnvironmentBadge,
  ErrorBox,
  Loading,
  ScriptedBadge,
} from '../components/Status.js';
import { useHashQuery } from '../router.js';
import { recordComparability, recordScenario } from '../runs/comparability.js';
import { scoreSummary } from '../runs/score-text.js';
import { scoreTrialOfRecord } from '../runs/score-trials.js';
import { chartFiles } from '../share/result-link.js';
import { getRun } from '../storage/runs-db.js';
import type { RunRecord } from '../storage/run-record.js';
import { MAX_COMPARE, MAX_SIDE_BY_SIDE } from '../runs/compare-limits.js';

/** A figure with four significant digits: a p-value of 1.09e-23 stays 1.09e-23, never 0. */
const num = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatG(v, 4));

function CompareTable({ runs }: { runs: RunRecord[] }) {
  const fields = [...new Set(runs.flatMap((r) => Object.keys(r.oracle.raw_stats)))];
  // Each run's checks in its scorecard's order (its benchmark's table); runs of other benchmarks add theirs.
  const checkIds = [...new Set(runs.flatMap((r) => Object.keys(r.scorecard?.checks ?? {})))];
  const comparabilities = runs.map(recordComparability);
  const keys = new Set(comparabilities.map((c) => (c ? comparabilityKey(c) : 'unscored')));
  return (
    <>
      {keys.size > 1 && (
        <p className="notice" role="note" data-testid="not-comparable">
          These runs are not all comparable: they differ in scenario, benchmark or scorer version,
          mode, protocol, Python environment or judged points (each run&rsquo;s group is under its
          name). Their scores are shown side by side, never pooled as trials.
        </p>
      )}
      <div className="table-wrap">
        <table className="compare">
          <thead>
            <tr>
              <th scope="col">Check / figure</th>
              {runs.map((r, i) => (
                <th key={r.id} scope="col">
                  <a href={`#/runs/${r.id}`}>{r.model.name}</a>{' '}
                  <ScriptedBadge scripted={r.scripted} />
                  <EnvironmentBadge run={r} />
                  <div className="mono small muted run-id">{r.runId}</div>
                  <div className="small run-data" data-testid="run-scenario">
                    scenario {recordScenario(r)}, seed {r.seed ?? 'not recorded'}
                  </div>
                  <div className="small muted run-group">
                    {comparabilities[i] ? describeComparability(comparabilities[i]) : 'not scored'}
                  </div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Score</th>
              {runs.map((r) => (
                <td key={r.id} className="num">
                  <strong>{r.scorecard ? scoreSummary(r.scorecard) : '—'}</strong>
                </td>
              ))}
            </tr>
            {checkIds.map((id) => (
              <tr key={id}>
                <th scope="row" className="mono small">
                  {id}
                </th>
                {runs.map((r) => {
                  const c = r.scorecard?.checks[id];
                  return (
                    <td
                      key={r.id}
                      className={c ? (!c.judged ? '' : c.pass ? 'pass' : 'fail') : ''}
                      title={c?.detail}
                    >
                      {!c
                        ? '—'
                        : !c.judged
                          ? 'not judged'
                          : `${c.pass ? '✓' : '✗'} ${c.earned}/${c.max}`}
                    </td>
                  );
                })}
              </tr>
            ))}
            {fields.map((f) => (
              <tr key={f}>
                <th scope="row" className="mono small">
                  {f}
                </th>
                {runs.map((r) => (
                  <td key={r.id} className="num" data-field={f}>
                    {num(r.reported?.raw_stats[f])}{' '}
                    <span className="muted small">(oracle {num(r.oracle.raw_stats[f])})</span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function Compare() {
  const ids = (useHashQuery().get('ids') ?? '').split(',').filter(Boolean);
  const idsKey = ids.join(',');
  const [state, setState] = useState<{ runs: RunRecord[]; errors: string[] } | null>(null);
  const stats = useMemo(() => state && scoreStats(state.runs.map(scoreTrialOfRecord)), [state]);
  useEffect(() => {
    let live = true;
    Promise.all(idsKey.split(',').filter(Boolean).map(getRun)).then((lookups) => {
      if (!live) return;
      setState({
        runs: lookups.flatMap((l) => (l.ok ? [l.run] : [])),
        errors: lookups.flatMap((l) => (l.ok ? [] : [l.error])),
      });
    });
    return () => {
      live = false;
    };
  }, [idsKey]);
  if (ids.length < 2 || ids.length > MAX_COMPARE) {
    return (
      <EmptyState title={`Pick 2 to ${MAX_COMPARE} runs to compare.`}>
        <p>
          <a href="#/history">Choose runs in the history</a>
        </p>
      </EmptyState>
    );
  }
  if (!state || !stats) return <Loading what="runs" />;
  const sideBySide = state.runs.length <= MAX_SIDE_BY_SIDE;
  return (
    <>
      <h1>Compare runs</h1>
      {state.errors.map((e) => (
        <ErrorBox key={e} title="A run could not be loaded">
          {e}
        </ErrorBox>
      ))}
      {state.runs.length > 0 && (
        <>
          <ScoreStatsView stats={stats} />
          {sideBySide ? (
            <>
              <h2>Side by side</h2>
              <CompareTable runs={state.runs} />
              <h2>Charts</h2>
              <div
                className="compare-charts"
                style={{ gridTemplateColumns: `repeat(${state.runs.length}, minmax(0, 1fr))` }}
              >
                {state.runs.map((r) => (
                  <div key={r.id}>
                    <h3 className="small">{r.model.name}</h3>
                    <Charts
                      charts={chartFiles(r).map(([name, bytes]) => ({
                        name,
                        src: pngDataUrl(bytes),
                      }))}
                      benchmarkId={r.benchmark.id}
                    />
                  </div>
                ))}
              </div>
            </>
          ) : (
            <p className="muted" role="note">
              {state.runs.length} runs: too many to show side by side (at most {MAX_SIDE_BY_SIDE});
              each is in the <a href="#/history">history</a>.
            </p>
          )}
        </>
      )}
    </>
  );
}
