import { useEffect, useMemo, useRef, useState } from 'react';
import { Charts } from '../components/Charts.js';
import { NotebookView } from '../components/NotebookView.js';
import { Markdown } from '../components/SafeHtml.js';
import { LiveTitle, ModelProgress, StopButton } from '../components/LiveParts.js';
import { toolCallCode, type LiveRun } from '../runs/live-store.js';

const PHASES: Record<LiveRun['phase'], string> = {
  starting: 'Starting (loading the run machinery)',
  'loading-model': 'Loading the model',
  running: 'Running',
  scoring: 'Scoring (full mode, re-running the notebook on altered data)',
  done: 'Finished',
  failed: 'Failed',
};

/** Re-renders every second while mounted, for the elapsed-time clock. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/**
 * Keeps the newest output in view as it arrives, unless the user scrolled up to read something: then
 * the page stays put until they scroll back to the bottom.
 */
function useFollowNewOutput(progress: string): void {
  const following = useRef(true);
  useEffect(() => {
    const onScroll = () => {
      const below = document.documentElement.scrollHeight - (window.scrollY + window.innerHeight);
      following.current = below < 150;
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, []);
  useEffect(() => {
    if (following.current) window.scrollTo({ top: document.documentElement.scrollHeight });
  }, [progress]);
}

/** A trial as it happens: streamed model text, cells and their outputs, charts, progress, Stop. */
export function LiveRunView({ run }: { run: LiveRun }) {
  const now = useNow();
  const elapsedS = Math.max(0, Math.round((now - run.startedAt) / 1000));
  const tps = run.streamingMs > 0 ? run.completionTokens / (run.streamingMs / 1000) : null;
  const notebook = useMemo(
    () =>
      JSON.stringify({
        cells: run.cells.map((c) => ({
          cell_type: 'code',
          source: c.code,
          outputs: c.outputs,
          execution_count: c.executionCount,
        })),
      }),
    [run.cells],
  );
  const charts = Object.entries(run.charts).map(([name, src]) => ({ name, src }));
  const lastTurn = run.turns.at(-1);
  useFollowNewOutput(
    [
      run.turns.length,
      (lastTurn?.answer.length ?? 0) + (lastTurn?.reasoning.length ?? 0),
      run.cells.length,
      run.cells.reduce((n, c) => n + c.outputs.length + (c.status ? 1 : 0), 0),
      charts.length,
    ].join(':'),
  );
  return (
    <div className="live-run" data-phase={run.phase}>
      <header className="page-head">
        <LiveTitle modelName={run.modelName} scripted={run.scripted} />
        <p className="muted small">
          <span className="mono">{run.recordId}</span> · trial {run.trial} of {run.trials}
        </p>
        {run.scripted && (
          <p className="notice">Scripted demo: a replayed reference solution, not a live model.</p>
        )}
      </header>
      <section className="live-status" aria-label="Run status">
        <p role="status" data-testid="live-phase">
          {PHASES[run.phase]}
        </p>
        <dl className="live-figures">
          <dt>Elapsed</dt>
          <dd data-testid="elapsed">{elapsedS} s</dd>
          <dt>Tokens per second</dt>
          <dd data-testid="tokens-per-second">
            {/* A replay's text arrives as fast as the page can take it: a speed says nothing. */}
            {run.scripted ? 'not applicable (replay)' : tps === null ? '—' : tps.toFixed(1)}
          </dd>
          <dt>Completion tokens</dt>
          <dd>{run.completionTokens}</dd>
        </dl>
        <ModelProgress progress={run.modelProgress} />
        <details open={run.phase === 'starting' || run.phase === 'failed'}>
          <summary>
            Pyodide ({run.pyodideStages.length} steps
            {run.pyodideStages.some((s) => s.startsWith('failed')) ? ', failed' : ' done'})
          </summary>
          <ol className="small mono" data-testid="pyodide-stages">
            {run.pyodideStages.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ol>
        </details>
        {run.error && (
          <div className="error" role="alert">
            <p>{run.error}</p>
            <p className="small">
              <a href="#/settings">Open Settings</a>
            </p>
          </div>
        )}
        {run.environmentError && (
          <p className="error" role="alert" data-testid="live-environment-error">
            <strong>Environment error</strong>: the harness or the environment failed, not the
            model; this run is not a score of the model. {run.environmentError}
          </p>
        )}
        <StopButton run={run} />
      </section>
      <section aria-labelledby="live-model-title">
        <h2 id="live-model-title">Model output</h2>
        <ol className="turns">
          {run.turns.map((t) => (
            <li key={t.turn} className="turn" data-turn={t.turn}>
              {t.reasoning && (
                <details>
                  <summary>Reasoning ({t.reasoning.length} characters)</summary>
                  <pre className="small">{t.reasoning}</pre>
                </details>
              )}
              <Markdown text={t.answer} />
              {(t.toolCalls ?? []).map((c) => (
                <div key={c.index} className="tool-call" data-tool-call={c.index}>
                  <p className="small muted">
                    tool call: <code>{c.name || '…'}</code>
                  </p>
                  <pre>
                    <code>{c.name === 'run_python' ? toolCallCode(c.arguments) : c.arguments}</code>
                  </pre>
                </div>
              ))}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="live-charts-title">
        <h2 id="live-charts-title">Charts</h2>
        <Charts charts={charts} benchmarkId={run.benchmarkId} />
      </section>
      <section aria-labelledby="live-cells-title">
        <h2 id="live-cells-title">Cells</h2>
        <NotebookView source={notebook} />
      </section>
    </div>
  );
}
