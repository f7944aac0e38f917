import { benchmarks, suiteIds, suiteMembers, visualBenchmarks } from '@localds/benchmarks';
import { lazy, Suspense } from 'react';
import { Leaderboard } from '../components/Leaderboard.js';
import { RunsTable } from '../components/RunsTable.js';
import { EmptyState, ErrorBox, Loading } from '../components/Status.js';
import { useRuns } from '../storage/use-runs.js';

const RECENT = 5;

// The arena's ratings (votes, visual run records, the Bradley–Terry fit) load after the first paint,
// so the home page's first JavaScript does not carry them.
const VisualRatings = lazy(() =>
  import('../components/VisualRatings.js').then((m) => ({ default: m.VisualRatings })),
);

export function Home() {
  const [state] = useRuns();
  return (
    <>
      <section aria-labelledby="benchmarks-title">
        <h1 id="benchmarks-title">Benchmarks</h1>
        <ul className="cards">
          {benchmarks.map((b) => (
            <li key={b.id} className="card">
              <h2>
                <a href={`#/benchmarks/${b.id}`}>{b.title}</a>
              </h2>
              <p className="muted small mono">
                {b.id} · v{b.version} · analysis
              </p>
              <p>{b.description}</p>
              <p className="small">
                Writes: {b.requiredOutputs.map((o) => o.file).join(', ')} and {b.notebook.file}.
                Scenarios: {b.dataset.scenarios.join(', ')}.
              </p>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="visual-title" data-suite="visual">
        <h2 id="visual-title">Visual benchmarks</h2>
        <p className="small">
          One self-contained HTML animation per prompt, rendered in a sandboxed frame with no
          network and judged by checks that say what they saw. <a href="#/gallery">The gallery</a>{' '}
          shows their runs by prompt and by model, two side by side.
        </p>
        <ul className="cards" data-testid="visual-benchmarks">
          {visualBenchmarks.map((b) => (
            <li key={b.id} className="card" data-kind={b.kind}>
              <h3>
                <a href={`#/benchmarks/${b.id}`}>{b.title}</a>
              </h3>
              <p className="muted small mono">
                {b.id} · v{b.version} · {b.kind}
                {b.suite ? ` · suite ${b.suite}` : ''}
              </p>
              <p>{b.description}</p>
            </li>
          ))}
        </ul>
      </section>
      {suiteIds().map((suite) => (
        <section key={suite} aria-labelledby={`suite-${suite}-title`} data-suite={suite}>
          <h2 id={`suite-${suite}-title`}>Suite: {suite}</h2>
          <p className="small">
            Its score is the unweighted mean of each benchmark&rsquo;s mean score, shown once every
            one of them has scored trials under the same conditions:{' '}
            {suiteMembers(suite).map((b, i) => (
              <span key={b.id}>
                {i > 0 && ', '}
                <a href={`#/benchmarks/${b.id}`}>{b.title}</a>
              </span>
            ))}
            .
          </p>
        </section>
      ))}
      <section aria-labelledby="recent-title">
        <h2 id="recent-title">Recent runs</h2>
        {state.status === 'loading' && <Loading what="runs" />}
        {state.status === 'error' && <ErrorBox title="Runs unavailable">{state.error}</ErrorBox>}
        {state.status === 'ready' &&
          (state.list.runs.length ? (
            <>
              <RunsTable runs={state.list.runs.slice(0, RECENT)} />
              <p>
                <a href="#/history">All runs ({state.list.runs.length})</a>
              </p>
            </>
          ) : (
            <EmptyState title="No runs in this browser yet.">
              <p>
                Open a benchmark to run a model, or <a href="#/import">import a run folder</a>{' '}
                scored elsewhere (including runs made with the article&rsquo;s harness).
              </p>
            </EmptyState>
          ))}
      </section>
      <section aria-labelledby="leaderboard-title">
        <h2 id="leaderboard-title">Leaderboard</h2>
        <p className="muted small">
          By model: best, mean ± standard deviation, the mean&rsquo;s 95% bootstrap interval
          (&ldquo;n too small&rdquo; below 3 trials), range, how many trials scored 100% and pass^k
          (the chance that k trials all score 100). Scores are grouped by benchmark version, scorer
          version and mode, and never mixed across groups.
        </p>
        {state.status === 'ready' && !state.list.runs.some((r) => r.scorecard) && (
          <EmptyState title="No scored runs yet, so no leaderboard." />
        )}
        {state.status === 'ready' && <Leaderboard runs={state.list.runs} />}
        <Suspense fallback={<Loading what="visual ratings" />}>
          <VisualRatings />
        </Suspense>
      </section>
    </>
  );
}
