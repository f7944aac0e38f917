import { findVisualBenchmark } from '@localds/benchmarks';
import { EmptyState, ErrorBox, Loading, ScriptedBadge } from '../components/Status.js';
import { visualScoreText } from '../components/VisualChecks.js';
import { VisualFrame } from '../components/VisualFrame.js';
import { navigate, useHashQuery } from '../router.js';
import { useVisualRuns } from '../storage/use-visual-runs.js';
import type { VisualRunRecord } from '../storage/visual-record.js';
import { groupRuns, type GalleryGrouping } from '../visual/gallery.js';

/** The gallery's address with these choices (grouping, prompt filter, the two runs side by side). */
function galleryHref(query: URLSearchParams, change: Record<string, string | null>): string {
  const next = new URLSearchParams(query);
  for (const [k, v] of Object.entries(change)) {
    if (v === null) next.delete(k);
    else next.set(k, v);
  }
  const text = next.toString();
  return `/gallery${text ? `?${text}` : ''}`;
}

function SideBySide({ a, b }: { a: VisualRunRecord; b: VisualRunRecord }) {
  return (
    <section aria-labelledby="side-title" data-testid="side-by-side">
      <h2 id="side-title">Side by side</h2>
      <div className="side-by-side">
        {[a, b].map((run, i) => (
          <div key={`${i}-${run.id}`} data-side={i === 0 ? 'a' : 'b'}>
            <h3>
              <a href={`#/visual-runs/${encodeURIComponent(run.id)}`}>{run.model.name}</a>{' '}
              <ScriptedBadge scripted={run.scripted} />
            </h3>
            <p className="small muted">
              {run.benchmark.id} · {visualScoreText(run.score)}
            </p>
            {run.html === null ? (
              <p className="muted">This run has no file to play.</p>
            ) : (
              <VisualFrame html={run.html} title={`${run.benchmark.id} by ${run.model.name}`} />
            )}
          </div>
        ))}
      </div>
    </section>
  );
}

/**
 * The visual runs as the article's workbench shows them: grouped by prompt or by model, and two of
 * them playing side by side (each in its own sandboxed, probe-free frame).
 */
export function Gallery() {
  const [state] = useVisualRuns();
  const query = useHashQuery();
  const by: GalleryGrouping = query.get('by') === 'model' ? 'model' : 'prompt';
  const only = query.get('benchmark');
  const picked = [query.get('a'), query.get('b')].filter((x): x is string => Boolean(x));

  if (state.status === 'loading') return <Loading what="visual runs" />;
  if (state.status === 'error') return <ErrorBox title="Runs unavailable">{state.error}</ErrorBox>;
  const runs = state.list.runs.filter((r) => !only || r.benchmark.id === only);
  const byId = new Map(runs.map((r) => [r.id, r]));
  const [a, b] = picked.map((id) => byId.get(id));

  const toggle = (id: string) => {
    const next = picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id].slice(-2);
    navigate(galleryHref(query, { a: next[0] ?? null, b: next[1] ?? null }), { replace: true });
  };

  return (
    <>
      <header className="page-head">
        <h1>Gallery</h1>
        <p>
          Visual runs {only ? `of ${findVisualBenchmark(only)?.title ?? only}` : ''} by{' '}
          {(['prompt', 'model'] as const).map((g) => (
            <button
              key={g}
              type="button"
              aria-pressed={by === g}
              onClick={() => navigate(galleryHref(query, { by: g }), { replace: true })}
            >
              {g}
            </button>
          ))}
          {only && (
            <>
              {' '}
              · <a href={`#${galleryHref(query, { benchmark: null })}`}>every prompt</a>
            </>
          )}
        </p>
        <p className="muted small">Pick two runs to play them side by side.</p>
      </header>
      {state.list.invalid.length > 0 && (
        <p className="notice" role="note">
          {state.list.invalid.length} stored visual run(s) could not be read and are not shown:{' '}
          {state.list.invalid.map((i) => `${i.id} (${i.problem})`).join('; ')}
        </p>
      )}
      {a && b && <SideBySide a={a} b={b} />}
      {runs.length === 0 ? (
        <EmptyState title="No visual runs in this browser yet.">
          <p>
            Open a visual benchmark from <a href="#/">the home page</a> to run one, or{' '}
            <a href="#/import">import a visual run folder</a>.
          </p>
        </EmptyState>
      ) : (
        groupRuns(runs, by).map((group) => (
          <section key={group.key} data-group={group.key} aria-label={`${by} ${group.key}`}>
            <h2>
              {by === 'prompt' ? (findVisualBenchmark(group.key)?.title ?? group.key) : group.key}
            </h2>
            <table className="runs">
              <thead>
                <tr>
                  <th scope="col">Side by side</th>
                  <th scope="col">{by === 'prompt' ? 'Model' : 'Prompt'}</th>
                  <th scope="col">Score</th>
                  <th scope="col">Ended</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {group.runs.map((run) => (
                  <tr key={run.id} data-run={run.id}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Play ${run.model.name} on ${run.benchmark.id} side by side`}
                        checked={picked.includes(run.id)}
                        onChange={() => toggle(run.id)}
                      />
                    </td>
                    <td>
                      <a href={`#/visual-runs/${encodeURIComponent(run.id)}`}>
                        {by === 'prompt' ? run.model.name : run.benchmark.id}
                      </a>{' '}
                      <ScriptedBadge scripted={run.scripted} />
                    </td>
                    <td>{visualScoreText(run.score)}</td>
                    <td>{run.endReason}</td>
                    <td>{new Date(run.createdAt).toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))
      )}
    </>
  );
}
