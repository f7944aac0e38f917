import { useEffect, useState } from 'react';
import { Charts, pngDataUrl } from '../components/Charts.js';
import { FiguresTable } from '../components/FiguresTable.js';
import { NotebookView } from '../components/NotebookView.js';
import { RunRecordView } from '../components/RunRecord.js';
import { ScorecardView } from '../components/ScorecardView.js';
import { ShareResult } from '../components/ShareResult.js';
import {
  EnvironmentBadge,
  ErrorBox,
  Loading,
  ScriptedBadge,
  ScriptedNotice,
} from '../components/Status.js';
import { isEnvironmentRun, recordScenario } from '../runs/comparability.js';
import { download, fileText, notebookFile, runFolderZip } from '../runs/export.js';
import { chartFiles } from '../share/result-link.js';
import { deleteRun, getRun, type RunLookup } from '../storage/runs-db.js';
import type { RunRecord } from '../storage/run-record.js';
import { navigate } from '../router.js';
import { useLiveRun } from '../runs/live-store.js';
import { LiveRunView } from './LiveRun.js';

function describeOracle(run: RunRecord): string {
  if (run.oracleSource.kind === 'snapshot') return "the rows in the run's own data snapshot";
  const seed =
    run.oracleSource.seed === null ? 'its default seed' : `seed ${run.oracleSource.seed}`;
  return `scenario ${run.oracleSource.scenario} (${seed}) of the embedded dataset`;
}

export function RunHeader({ run }: { run: RunRecord }) {
  return (
    <header className="page-head">
      <h1>
        {run.model.name} <ScriptedBadge scripted={run.scripted} />
        {run.state === 'partial' && <span className="badge">partial</span>}
        <EnvironmentBadge run={run} />
      </h1>
      <p className="muted small">
        <span className="mono">{run.runId}</span> · {run.benchmark.id} v{run.benchmark.version} ·{' '}
        <span data-testid="run-scenario">
          scenario {recordScenario(run)}, seed {run.seed ?? 'not recorded'}
        </span>{' '}
        · {run.origin === 'import' ? 'imported' : 'run here'}{' '}
        {new Date(run.createdAt).toLocaleString()} · provider {run.model.provider}
      </p>
      {isEnvironmentRun(run) && (
        <p className="notice" role="note" data-testid="environment-notice">
          This run ended on an environment or harness failure ({run.endReason}
          {run.endDetail ? `: ${run.endDetail}` : ''}): it is not the model&rsquo;s score and is not
          counted on the leaderboard.
        </p>
      )}
      <ScriptedNotice scripted={run.scripted} />
    </header>
  );
}

function RunBody({ run }: { run: RunRecord }) {
  const charts = chartFiles(run).map(([name, bytes]) => ({ name, src: pngDataUrl(bytes) }));
  const summary = fileText(run, 'summary.json');
  const saveZip = () => {
    const zip = runFolderZip(run);
    download(zip.name, zip.bytes, 'application/zip');
  };
  const saveNotebook = () => {
    const nb = notebookFile(run);
    if (nb) download(nb.name, nb.bytes, 'application/x-ipynb+json');
  };
  const remove = () => {
    if (confirm(`Delete run ${run.runId} from this browser?`)) {
      void deleteRun(run.id).then(() => navigate('/history'));
    }
  };
  return (
    <>
      <RunHeader run={run} />
      <div className="actions">
        <button type="button" onClick={saveZip}>
          Download run folder (.zip)
        </button>
        <button type="button" onClick={saveNotebook} disabled={!run.files['analysis.ipynb']}>
          Download analysis.ipynb
        </button>
        <button type="button" className="danger" onClick={remove}>
          Delete
        </button>
      </div>
      {/* Keyed by run: its link state must not carry over to the next run opened. */}
      <ShareResult key={run.id} run={run} />
      {run.scorecard ? <ScorecardView card={run.scorecard} /> : <NotScored run={run} />}
      <section aria-labelledby="figures-title">
        <h2 id="figures-title">The run&rsquo;s numbers beside the oracle&rsquo;s</h2>
        <p className="muted small">Oracle computed from {describeOracle(run)}.</p>
        <FiguresTable reported={run.reported} oracle={run.oracle} />
      </section>
      <section aria-labelledby="charts-title">
        <h2 id="charts-title">Charts</h2>
        <Charts charts={charts} benchmarkId={run.benchmark.id} />
      </section>
      <section aria-labelledby="summary-title">
        <h2 id="summary-title">summary.json</h2>
        {summary === null ? (
          <p className="muted">The run wrote no summary.json.</p>
        ) : (
          <pre className="small">{summary}</pre>
        )}
      </section>
      <RunRecordView runJson={fileText(run, 'run.json')} />
      <section aria-labelledby="notebook-title">
        <h2 id="notebook-title">Notebook</h2>
        <NotebookView source={fileText(run, 'analysis.ipynb')} />
      </section>
    </>
  );
}

/** In place of a scorecard. An environment failure is explained in the header, never shown as 0%. */
function NotScored({ run }: { run: RunRecord }) {
  return isEnvironmentRun(run) ? (
    <p className="muted">Not scored: the environment failed, not the model (see above).</p>
  ) : (
    <p className="muted">Not scored yet.</p>
  );
}

/** Why a partial run that is not running in this tab stopped, from its run.json when it has one. */
function endedBecause(run: RunRecord): string {
  if (run.endReason) return `${run.endReason}${run.endDetail ? `: ${run.endDetail}` : ''}`;
  return 'harness_error: the page was closed or reloaded before the run finished; what it did until then is kept';
}

export function RunResult({ id }: { id: string }) {
  const live = useLiveRun(id);
  const running = live !== undefined && live.phase !== 'done';
  const [lookup, setLookup] = useState<RunLookup | null>(null);
  useEffect(() => {
    if (running) return;
    let active = true;
    getRun(id).then(
      (r) => active && setLookup(r),
      (e: Error) => active && setLookup({ ok: false, error: e.message }),
    );
    return () => {
      active = false;
    };
  }, [id, running]);
  if (live && running) return <LiveRunView run={live} />;
  if (!lookup) return <Loading what="the run" />;
  if (!lookup.ok) {
    return (
      <ErrorBox title="Run not available">
        <p>{lookup.error}</p>
        <p>
          <a href="#/history">Back to history</a>
        </p>
      </ErrorBox>
    );
  }
  return (
    <>
      {lookup.run.state === 'partial' && lookup.run.origin === 'workbench' && (
        <p className="notice" role="status" data-testid="partial-notice">
          This run did not finish. End reason: {endedBecause(lookup.run)}
        </p>
      )}
      <RunBody run={lookup.run} />
    </>
  );
}
