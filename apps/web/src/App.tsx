import { Route, Router, Switch } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';

/** Hash routing: the page works from any static host and sub-path without server rewrites. */
export function App() {
  return (
    <Router hook={useHashLocation}>
      <header className="site-header">
        <a href="#/" className="brand">
          localds
        </a>
        <span className="tagline">Can a local model do data science?</span>
      </header>
      <main>
        <Switch>
          <Route path="/">
            <p>The workbench is being built.</p>
          </Route>
          <Route>
            <p role="alert">No such page.</p>
          </Route>
        </Switch>
      </main>
    </Router>
  );
}
