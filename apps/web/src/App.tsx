import { Route, Router, Switch } from 'wouter';
import { hashHref, useHashPath } from './router.js';
import { Benchmark } from './views/Benchmark.js';
import { Compare } from './views/Compare.js';
import { History } from './views/History.js';
import { Home } from './views/Home.js';
import { Import } from './views/Import.js';
import { RunResult } from './views/RunResult.js';
import { Settings } from './views/Settings.js';
import { Shared } from './views/Shared.js';

const NAV = [
  ['#/', 'Home'],
  ['#/history', 'History'],
  ['#/import', 'Import'],
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
        <Switch>
          <Route path="/">
            <Home />
          </Route>
          <Route path="/benchmarks/:id">{(p) => <Benchmark id={decodeURIComponent(p.id)} />}</Route>
          <Route path="/runs/:id">{(p) => <RunResult id={decodeURIComponent(p.id)} />}</Route>
          <Route path="/history">
            <History />
          </Route>
          <Route path="/compare">
            <Compare />
          </Route>
          <Route path="/import">
            <Import />
          </Route>
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
      </main>
    </Router>
  );
}
