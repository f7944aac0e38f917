import { useMemo, useState } from 'react';
import { Field } from '../components/Field.js';
import { ImportPanel } from '../components/ImportPanel.js';
import { RunsTable } from '../components/RunsTable.js';
import { EmptyState, ErrorBox, Loading } from '../components/Status.js';
import { navigate } from '../router.js';
import { MAX_COMPARE, MAX_SIDE_BY_SIDE } from '../runs/compare-limits.js';
import { recordScenario } from '../runs/comparability.js';
import type { RunRecord } from '../storage/run-record.js';
import { useRuns } from '../storage/use-runs.js';

interface Filters {
  benchmark: string;
  model: string;
  scenario: string;
  minScore: string;
}

const unique = (values: string[]) => [...new Set(values)].sort();

function applyFilters(runs: RunRecord[], f: Filters): RunRecord[] {
  const min = f.minScore === '' ? null : Number(f.minScore);
  return runs.filter(
    (r) =>
      (!f.benchmark || r.benchmark.id === f.benchmark) &&
      (!f.model || r.model.name === f.model) &&
      (!f.scenario || recordScenario(r) === f.scenario) &&
      (min === null || Number.isNaN(min) || (r.scorecard?.pct ?? -1) >= min),
  );
}

export function History() {
  const [state, reload] = useRuns();
  const [filters, setFilters] = useState<Filters>({
    benchmark: '',
    model: '',
    scenario: '',
    minScore: '',
  });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const runs = state.status === 'ready' ? state.list.runs : [];
  const shown = useMemo(() => applyFilters(runs, filters), [runs, filters]);
  const set = (key: keyof Filters) => (e: { target: { value: string } }) =>
    setFilters((f) => ({ ...f, [key]: e.target.value }));
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const canCompare = selected.size >= 2 && selected.size <= MAX_COMPARE;

  const select = (key: keyof Filters, label: string, options: string[]) => (
    <Field label={label}>
      <select value={filters[key]} onChange={set(key)}>
        <option value="">all</option>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </Field>
  );

  return (
    <>
      <h1>History</h1>
      {state.status === 'loading' && <Loading what="runs" />}
      {state.status === 'error' && <ErrorBox title="Runs unavailable">{state.error}</ErrorBox>}
      {state.status === 'ready' && state.list.invalid.length > 0 && (
        <ErrorBox
          title={`${state.list.invalid.length} stored record(s) could not be read and are not shown`}
        >
          <ul className="small">
            {state.list.invalid.map((r) => (
              <li key={r.id}>
                <span className="mono">{r.id}</span>: {r.problem}
              </li>
            ))}
          </ul>
        </ErrorBox>
      )}
      {state.status === 'ready' &&
        (runs.length === 0 ? (
          <EmptyState title="No runs in this browser yet.">
            <p>Import a run folder below, or run a benchmark.</p>
          </EmptyState>
        ) : (
          <>
            <div className="grid-4 filters" role="search" aria-label="Filter runs">
              {select('benchmark', 'Benchmark', unique(runs.map((r) => r.benchmark.id)))}
              {select('model', 'Model', unique(runs.map((r) => r.model.name)))}
              {select('scenario', 'Scenario', unique(runs.map(recordScenario)))}
              <Field label="Score at least (%)">
                <input inputMode="decimal" value={filters.minScore} onChange={set('minScore')} />
              </Field>
            </div>
            <p className="muted small" role="status">
              {shown.length} of {runs.length} runs shown · {selected.size} selected
            </p>
            <div className="actions">
              <button
                type="button"
                className="primary"
                disabled={!canCompare}
                onClick={() =>
                  navigate(`/compare?ids=${[...selected].map(encodeURIComponent).join(',')}`)
                }
              >
                Compare selected
              </button>
              <button
                type="button"
                onClick={() => setSelected(new Set(shown.slice(0, MAX_COMPARE).map((r) => r.id)))}
              >
                Select all shown
              </button>
              <span className="muted small">
                Select 2 to {MAX_COMPARE} runs to compare their statistics (up to {MAX_SIDE_BY_SIDE}{' '}
                also side by side).
              </span>
            </div>
            {shown.length ? (
              <RunsTable runs={shown} selected={selected} onToggle={toggle} />
            ) : (
              <EmptyState title="No run matches these filters." />
            )}
          </>
        ))}
      <ImportPanel onImported={reload} />
    </>
  );
}
