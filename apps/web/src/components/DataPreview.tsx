import {
  EVENT_COLUMNS,
  scenarios,
  type BenchmarkDefinition,
  type ScenarioName,
} from '@localds/benchmarks';
import { useId, useMemo, useState } from 'react';
import { oracleFigures, scenarioData } from '../runs/oracle.js';
import { FiguresTable } from './FiguresTable.js';
import { SupabasePreview } from './SupabasePreview.js';

const PREVIEW_ROWS = 20;

function scenarioDescription(name: string): string | null {
  return name in scenarios ? scenarios[name as ScenarioName].description : null;
}

/** The embedded dataset of a scenario and seed: counts, the first rows, and the oracle on request. */
export function DataPreview({ benchmark }: { benchmark: BenchmarkDefinition }) {
  const [scenario, setScenario] = useState(benchmark.dataset.defaultScenario);
  const [seedText, setSeedText] = useState('');
  const ids = useId();
  const seedValid = seedText === '' || /^\d{1,9}$/.test(seedText);
  const seed = seedValid && seedText !== '' ? Number(seedText) : null;
  const data = useMemo(() => {
    try {
      return { ok: true as const, ...scenarioData(benchmark.id, scenario, seed) };
    } catch (error) {
      return { ok: false as const, error: (error as Error).message };
    }
  }, [benchmark.id, scenario, seed]);

  const counts = useMemo(() => {
    if (!data.ok) return null;
    const byType = new Map<string, number>();
    const byVariant = new Map<string, number>();
    for (const row of data.rows) {
      byType.set(row.event, (byType.get(row.event) ?? 0) + 1);
      const v = row.variant ?? '(null)';
      byVariant.set(v, (byVariant.get(v) ?? 0) + 1);
    }
    return { byType, byVariant };
  }, [data]);

  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Data preview</h2>
      <div className="form-row">
        <label>
          Scenario
          <select value={scenario} onChange={(e) => setScenario(e.target.value)}>
            {benchmark.dataset.scenarios.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Seed
          <input
            inputMode="numeric"
            value={seedText}
            placeholder="scenario default"
            onChange={(e) => setSeedText(e.target.value.trim())}
            aria-invalid={!seedValid}
            aria-describedby={`${ids}-seed-help`}
          />
        </label>
      </div>
      <p id={`${ids}-seed-help`} className={seedValid ? 'muted small' : 'field-error'}>
        {seedValid
          ? scenarioDescription(scenario)
          : 'The seed is a whole number from 0 to 999999999; showing the scenario default.'}
      </p>
      {!data.ok && (
        <p className="error" role="alert">
          {data.error}
        </p>
      )}
      {data.ok && counts && (
        <>
          <p data-testid="data-counts">
            <strong>{data.rows.length}</strong> rows ·{' '}
            {[...counts.byVariant].map(([v, n]) => `variant ${v}: ${n}`).join(' · ')} ·{' '}
            {[...counts.byType].map(([t, n]) => `${t}: ${n}`).join(' · ')}
          </p>
          <div className="table-wrap">
            <table className="data-preview small">
              <caption className="sr-only">First {PREVIEW_ROWS} rows of posthog_events</caption>
              <thead>
                <tr>
                  {EVENT_COLUMNS.map((c) => (
                    <th key={c} scope="col" className="mono">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.rows.slice(0, PREVIEW_ROWS).map((row) => (
                  <tr key={row.id}>
                    {EVENT_COLUMNS.map((c) => (
                      <td key={c}>
                        {row[c] === null ? <span className="muted">null</span> : String(row[c])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <details className="block reveal">
            <summary>Reveal the right answer (the oracle for these rows)</summary>
            <FiguresTable oracle={oracleFigures(data.oracle)} />
            <ul className="small">
              {data.oracle.decision_reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </details>
        </>
      )}
      <SupabasePreview table={benchmark.dataAccess.table} />
    </section>
  );
}
