import { useEffect, useState } from 'react';
import { Charts } from '../components/Charts.js';
import { FiguresTable } from '../components/FiguresTable.js';
import { ScorecardView } from '../components/ScorecardView.js';
import { ErrorBox, Loading, ScriptedBadge } from '../components/Status.js';
import { MAX_FRAGMENT_CHARS } from '../share/codec.js';
import { openResultLink, type SharedResult } from '../share/result-link.js';

type State = { ok: true; result: SharedResult } | { ok: false; error: string } | null;

/** A result opened from a link: validated and integrity-checked before anything is shown. */
export function Shared({ payload }: { payload: string }) {
  const [state, setState] = useState<State>(null);
  useEffect(() => {
    let live = true;
    openResultLink(payload).then(
      (result) => live && setState({ ok: true, result }),
      (error: Error) => live && setState({ ok: false, error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [payload]);
  if (!state) return <Loading what="the shared result" />;
  if (!state.ok) {
    return (
      <ErrorBox title="This result link cannot be opened">
        <p data-testid="share-error">The link was rejected: {state.error}.</p>
        <p className="small">
          Result links are checked (SHA-256) and capped at {MAX_FRAGMENT_CHARS / 1024} KB. Ask for
          the link again, copied whole.
        </p>
      </ErrorBox>
    );
  }
  const r = state.result;
  return (
    <>
      <header className="page-head">
        <p className="notice">
          A shared result: only its scorecard, numbers and charts travel in the link.
        </p>
        <h1>
          {r.model.name} <ScriptedBadge scripted={r.scripted} />
        </h1>
        <p className="muted small">
          <span className="mono">{r.runId}</span> · {r.benchmark.id} v{r.benchmark.version} ·
          provider {r.model.provider}
          {r.scenario && ` · scenario ${r.scenario}`}
          {r.seed !== undefined && ` · seed ${r.seed ?? 'not recorded'}`}
        </p>
      </header>
      <ScorecardView card={r.scorecard} />
      <section aria-labelledby="shared-figures">
        <h2 id="shared-figures">The run&rsquo;s numbers beside the oracle&rsquo;s</h2>
        <FiguresTable reported={r.reported} oracle={r.oracle} />
      </section>
      <section aria-labelledby="shared-charts">
        <h2 id="shared-charts">Charts</h2>
        {r.chartsOmitted && (
          <p className="muted">The charts were too large for the link and were left out.</p>
        )}
        <Charts
          charts={r.charts.map((c) => ({ name: c.name, src: `data:image/png;base64,${c.png}` }))}
          benchmarkId={r.benchmark.id}
        />
      </section>
    </>
  );
}
