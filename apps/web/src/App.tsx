import { lazy, Suspense } from 'react';
import { Route, Router, Switch } from 'wouter';
import { Loading } from './components/Status.js';
import { hashHref, useHashPath } from './router.js';
import { Home } from './views/Home.js';

// Views other than home load on first visit, so the first page needs less JavaScript.
const Benchmark = lazy(() =>
  import('./views/Benchmark.js').then((m) => ({ default: m.Benchmark })),
);
const Arena = lazy(() => import('./views/Arena.js').then((m) => ({ default: m.Arena })));
const ArenaPair = lazy(() => import('./views/Arena.js').then((m) => ({ default: m.ArenaPair })));
const Compare = lazy(() => import('./views/Compare.js').then((m) => ({ default: m.Compare })));
const History = lazy(() => import('./views/History.js').then((m) => ({ default: m.History })));
const Import = lazy(() => import('./views/Import.js').then((m) => ({ default: m.Import })));
const RunResult = lazy(() =>
  import('./views/RunResult.js').then((m) => ({ default: m.RunResult })),
);
const Gallery = lazy(() => import('./views/Gallery.js').then((m) => ({ default: m.Gallery })));
const VisualRun = lazy(() =>
  import('./views/VisualRun.js').then((m) => ({ default: m.VisualRun })),
);
const Settings = lazy(() => import('./views/Settings.js').then((m) => ({ default: m.Settings })));
const Shared = lazy(() => import('./views/Shared.js').then((m) => ({ default: m.Shared })));

const NAV = [
  ['#/', 'Home'],
  ['#/history', 'History'],
  ['#/gallery', 'Gallery'],
  ['#/import', 'Import'],
  ['#/arena', 'Arena'],
  ['#/settings', 'Settings'],
] as const;

/** Hash routing: the page works from any static host and sub-path without server rewrites. */
export function App() {
  return (
    <Router hook={useHashPath} hrefs={hashHref}>
      <a
        href="#main"
        className="skip-link"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="site-header">
        <a href="#/" className="brand">
          localds
        </a>
        <span className="tagline">Can a local model do data science?</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([href, label]) => (
              <li key={href}>
                <a href={href}>{label}</a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading what="the page" />}>
          <Switch>
            <Route path="/">
              <Home />
            </Route>
            <Route path="/benchmarks/:id">
              {(p) => <Benchmark id={decodeURIComponent(p.id)} />}
            </Route>
            <Route path="/runs/:id">{(p) => <RunResult id={decodeURIComponent(p.id)} />}</Route>
            <Route path="/visual-runs/:id">
              {(p) => <VisualRun id={decodeURIComponent(p.id)} />}
            </Route>
            <Route path="/gallery">
              <Gallery />
            </Route>
            <Route path="/history">
              <History />
            </Route>
            <Route path="/compare">
              <Compare />
            </Route>
            <Route path="/import">
              <Import />
            </Route>
            <Route path="/arena">
              <Arena />
            </Route>
            <Route path="/arena/pair/:payload">{(p) => <ArenaPair payload={p.payload} />}</Route>
            <Route path="/shared/:payload">{(p) => <Shared payload={p.payload} />}</Route>
            <Route path="/settings">
              <Settings />
            </Route>
            <Route>
              <p role="alert">
                No such page. <a href="#/">Go home</a>.
              </p>
            </Route>
          </Switch>
        </Suspense>
      </main>
    </Router>
  );
}
