import type { AnyBenchmark } from '@localds/benchmarks';
import type { DataRow } from '@localds/scorer';
import { useId, useMemo, useState } from 'react';
import { scenarioData } from '../runs/oracle.js';
import { FiguresTable } from './FiguresTable.js';
import { SupabasePreview } from './SupabasePreview.js';

const PREVIEW_ROWS = 20;

/** Text columns with at most this many distinct values are counted by value (event, variant, …). */
const MAX_CATEGORIES = 12;

/** Rows per value of each categorical text column, in the table's column order. */
function categoryCounts(benchmark: AnyBenchmark, rows: readonly DataRow[]): string[] {
  const parts: string[] = [];
  for (const { name, sql } of benchmark.dataset.columns) {
    if (sql !== 'text') continue;
    const counts = new Map<string, number>();
    for (const row of rows) {
      const value = row[name] === null || row[name] === undefined ? '(null)' : String(row[name]);
      counts.set(value, (counts.get(value) ?? 0) + 1);
      if (counts.size > MAX_CATEGORIES) break;
    }
    if (counts.size > MAX_CATEGORIES) continue;
    parts.push(...[...counts].map(([value, n]) => `${name} ${value}: ${n}`));
  }
  return parts;
}

/** The embedded dataset of a scenario and seed: counts, the first rows, and the oracle on request. */
export function DataPreview({ benchmark }: { benchmark: AnyBenchmark }) {
  const [scenario, setScenario] = useState(benchmark.dataset.defaultScenario);
  const [seedText, setSeedText] = useState('');
  const ids = useId();
  const seedValid = seedText === '' || /^\d{1,9}$/.test(seedText);
  const seed = seedValid && seedText !== '' ? Number(seedText) : null;
  const data = useMemo(() => {
    try {
      return { ok: true as const, ...scenarioData(benchmark, scenario, seed) };
    } catch (error) {
      return { ok: false as const, error: (error as Error).message };
    }
  }, [benchmark, scenario, seed]);
  const columns = benchmark.dataset.columns.map((c) => c.name);

  const counts = useMemo(
    () => (data.ok ? categoryCounts(benchmark, data.rows) : null),
    [benchmark, data],
  );

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
          ? (benchmark.dataset.scenarioDescriptions?.[scenario] ?? null)
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
            <strong>{data.rows.length}</strong> rows
            {counts.map((part) => ` · ${part}`).join('')}
          </p>
          <div className="table-wrap">
            <table className="data-preview small">
              <caption className="sr-only">
                First {PREVIEW_ROWS} rows of {benchmark.dataAccess.table}
              </caption>
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th key={c} scope="col" className="mono">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.rows.slice(0, PREVIEW_ROWS).map((row, i) => (
                  <tr key={i}>
                    {columns.map((c) => (
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
            <FiguresTable oracle={benchmark.figures.ofOracle(data.oracle)} />
          </details>
        </>
      )}
      <SupabasePreview table={benchmark.dataAccess.table} columns={columns} />
    </section>
  );
}
