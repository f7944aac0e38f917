import { useEffect, useState } from 'react';
import { LiveTitle, ModelProgress, StopButton } from '../components/LiveParts.js';
import { ScriptedBadge, ScriptedNotice, ErrorBox, Loading } from '../components/Status.js';
import { VisualChecks } from '../components/VisualChecks.js';
import { VisualFrame } from '../components/VisualFrame.js';
import { VisualTurns } from '../components/VisualTurns.js';
import { download } from '../runs/export.js';
import { navigate } from '../router.js';
import { deleteVisualRun, getVisualRun, type VisualRunLookup } from '../storage/visual-runs-db.js';
import { listVotes } from '../storage/votes-db.js';
import type { VisualRunRecord } from '../storage/visual-record.js';
import { useVisualLiveRun, type VisualLiveRun } from '../visual/visual-live-store.js';

const PHASES: Record<VisualLiveRun['phase'], string> = {
  starting: 'Starting (loading the renderer and the loop)',
  'loading-model': 'Loading the model',
  asking: 'Waiting for the model',
  rendering: 'Rendering the file in the sandboxed frame',
  done: 'Finished',
  failed: 'Failed',
};

/** A visual run while it runs in this tab: the frame rendering the newest file, and the turns. */
function VisualLiveView({ run }: { run: VisualLiveRun }) {
  return (
    <div className="live-run" data-phase={run.phase}>
      <header className="page-head">
        <LiveTitle modelName={run.modelName} scripted={run.scripted} />
        <p className="muted small">
          <span className="mono">{run.recordId}</span> · {run.benchmarkId}
        </p>
        {run.scripted && <p className="notice">Scripted: a replayed file, not a live model.</p>}
      </header>
      <p role="status" data-testid="visual-live-phase">
        {PHASES[run.phase]}
      </p>
      <ModelProgress progress={run.modelProgress} />
      {run.error && (
        <p className="error" role="alert">
          {run.error}
        </p>
      )}
      <StopButton run={run} />
      <p className="muted small">
        Each file plays in the sandboxed frame in the window&rsquo;s corner while it renders (no
        network, no access to this page).
      </p>
      <section aria-labelledby="live-turns-title">
        <h2 id="live-turns-title">Turns</h2>
        <VisualTurns turns={run.turns} />
      </section>
    </div>
  );
}

/** A finished (or stopped) visual run as recorded: the checks, the final file playing, its source, the turns. */
export function VisualRunResult({ run }: { run: VisualRunRecord }) {
  const [exportError, setExportError] = useState<string | null>(null);
  const saveZip = () => {
    void Promise.all([import('../visual/visual-export.js'), listVotes()])
      .then(([{ visualRunZip }, { votes }]) => {
        const zip = visualRunZip(run, votes);
        download(zip.name, zip.bytes, 'application/zip');
      })
      .catch((e: Error) => setExportError(e.message));
  };
  return (
    <div className="visual-run" data-testid="visual-run-result" data-end-reason={run.endReason}>
      <header className="page-head">
        <h1>
          {run.model.name} <ScriptedBadge scripted={run.scripted} />
          <span className="badge">visual</span>
        </h1>
        <p className="muted small">
          <span className="mono">{run.runId}</span> ·{' '}
          <a href={`#/benchmarks/${run.benchmark.id}`}>{run.benchmark.id}</a> v
          {run.benchmark.version} · {run.origin === 'import' ? 'imported' : 'run here'}{' '}
          {new Date(run.createdAt).toLocaleString()} · provider {run.model.provider}
        </p>
        <p data-testid="visual-end">
          Ended: <strong>{run.endReason}</strong>
          {run.endDetail ? ` — ${run.endDetail}` : ''}
        </p>
        <ScriptedNotice scripted={run.scripted} />
      </header>
      <section aria-labelledby="checks-title">
        <h2 id="checks-title">Checks</h2>
        {run.score ? (
          <VisualChecks score={run.score} />
        ) : (
          <p data-testid="visual-score">Not scored: no turn gave a file to render.</p>
        )}
      </section>
      {run.html !== null && (
        <section aria-labelledby="final-title">
          <h2 id="final-title">The final file</h2>
          <VisualFrame
            html={run.html}
            title={`${run.benchmark.id} by ${run.model.name}`}
            testId="final-frame"
          />
          <details className="block">
            <summary>Source (index.html, {run.html.length} characters)</summary>
            <pre className="small source" data-testid="final-source">
              <code>{run.html}</code>
            </pre>
          </details>
        </section>
      )}
      <section aria-labelledby="turns-title">
        <h2 id="turns-title">Turns and feedback</h2>
        <VisualTurns turns={run.turns.map((t, i) => ({ turn: i + 1, ...t }))} />
      </section>
      <div className="actions">
        <button type="button" onClick={saveZip}>
          Export run folder (.zip)
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            void deleteVisualRun(run.id).then(() => navigate('/gallery'));
          }}
        >
          Delete
        </button>
      </div>
      {exportError && (
        <p className="error" role="alert">
          {exportError}
        </p>
      )}
    </div>
  );
}

/** #/visual-runs/:id — the live view while the run runs in this tab, then its record. */
export function VisualRun({ id }: { id: string }) {
  const live = useVisualLiveRun(id);
  const [lookup, setLookup] = useState<VisualRunLookup | null>(null);
  const finished = !live || live.phase === 'done';
  useEffect(() => {
    if (!finished) return;
    let active = true;
    void getVisualRun(id).then((l) => active && setLookup(l));
    return () => {
      active = false;
    };
  }, [id, finished]);
  // A failed start leaves no record: its live view says why.
  if (live && live.phase !== 'done') return <VisualLiveView run={live} />;
  if (!lookup) return <Loading what="the run" />;
  if (!lookup.ok) {
    return (
      <ErrorBox title="No such visual run">
        <p>{lookup.error}</p>
      </ErrorBox>
    );
  }
  return <VisualRunResult run={lookup.run} />;
}
