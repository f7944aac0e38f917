import type { RunRecord } from '../storage/run-record.js';
import { ScriptedBadge } from './Status.js';

/** Runs as table rows; with `selected`, each row gets a checkbox for the compare view. */
export function RunsTable({
  runs,
  selected,
  onToggle,
}: {
  runs: RunRecord[];
  selected?: ReadonlySet<string>;
  onToggle?: (id: string) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="runs">
        <thead>
          <tr>
            {selected && (
              <th scope="col">
                <span className="sr-only">Select</span>
              </th>
            )}
            <th scope="col">Run</th>
            <th scope="col">Model</th>
            <th scope="col">Benchmark</th>
            <th scope="col">Scenario</th>
            <th scope="col">Score</th>
            <th scope="col">Date</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} data-run-id={run.id}>
              {selected && onToggle && (
                <td>
                  <input
                    type="checkbox"
                    checked={selected.has(run.id)}
                    onChange={() => onToggle(run.id)}
                    aria-label={`Select ${run.model.name} ${run.runId} for comparison`}
                  />
                </td>
              )}
              <td>
                <a href={`#/runs/${encodeURIComponent(run.id)}`} className="mono small">
                  {run.runId}
                </a>
                {run.state === 'partial' && <span className="badge">partial</span>}
              </td>
              <td>
                {run.model.name} <ScriptedBadge scripted={run.scripted} />
              </td>
              <td className="small">
                {run.benchmark.id} <span className="muted">v{run.benchmark.version}</span>
              </td>
              <td>
                {run.scenario ?? (run.oracleSource.kind === 'snapshot' ? 'own snapshot' : '—')}
              </td>
              <td className="num">{run.scorecard ? `${run.scorecard.pct}%` : '—'}</td>
              <td className="small">{new Date(run.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
