import type { RunRecord } from '../storage/run-record.js';
import { recordScenario } from '../runs/comparability.js';
import { scoreSummary } from '../runs/score-text.js';
import { EnvironmentBadge, ScriptedBadge } from './Status.js';

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
            <th scope="col">Scenario · seed</th>
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
                <EnvironmentBadge run={run} />
              </td>
              <td>
                {run.model.name} <ScriptedBadge scripted={run.scripted} />
              </td>
              <td className="small">
                {run.benchmark.id} <span className="muted">v{run.benchmark.version}</span>
              </td>
              <td data-field="scenario">
                {recordScenario(run)} · {run.seed ?? 'no seed'}
              </td>
              <td className="num" data-field="score">
                {run.scorecard ? scoreSummary(run.scorecard) : '—'}
              </td>
              <td className="small">{new Date(run.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
