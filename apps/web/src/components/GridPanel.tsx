import { gridProgress, needsRerun, type CellStatus } from '../runs/grid.js';
import { rerunErroredTrials, useGrid } from '../runs/grid-runner.js';

const STATUS: Record<CellStatus, string> = {
  queued: 'waiting',
  running: 'running',
  finished: 'finished',
  environment: 'environment or harness error (not a score)',
  stopped: 'stopped',
};

/**
 * The grid queued from the run panel: a progress bar with counts, each cell with its latest run, Stop,
 * and "Re-run errored trials" (the same trial indices; finished trials are never run again).
 */
export function GridPanel({ benchmark }: { benchmark: string }) {
  const grid = useGrid();
  if (!grid || grid.benchmark !== benchmark) return null;
  const p = gridProgress(grid.cells);
  const errored = grid.cells.filter(needsRerun).length;
  return (
    <section className="grid-panel" aria-labelledby="grid-title" data-testid="grid-panel">
      <h2 id="grid-title">Queued grid</h2>
      <label className="progress">
        <span role="status" data-testid="grid-progress">
          {p.ended} of {p.total} trials ended: {p.finished} finished, {p.environment} environment
          error(s), {p.stopped} stopped; {p.running} running, {p.queued} waiting
        </span>
        <progress max={p.total} value={p.ended} />
      </label>
      <div className="actions">
        <button
          type="button"
          className="danger"
          disabled={!grid.running}
          onClick={() => grid.queue.stop()}
        >
          Stop the grid
        </button>
        <button
          type="button"
          disabled={grid.running || errored === 0}
          onClick={rerunErroredTrials}
          title="Runs again, as the same trial, every trial that ended in an environment or harness error, was stopped or never started. A finished trial is never run again, whatever its score."
        >
          Re-run errored trials ({errored})
        </button>
      </div>
      <table className="small grid-cells">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Scenario</th>
            <th scope="col">Trial</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {grid.cells.map((c) => {
            const last = c.recordIds.at(-1);
            return (
              <tr
                key={`${c.model}|${c.scenario}|${c.trialIndex}`}
                data-status={c.status}
                data-testid="grid-cell"
              >
                <td>{c.model}</td>
                <td>{c.scenario}</td>
                <td className="num">{c.trialIndex}</td>
                <td title={c.detail ?? undefined}>
                  {last ? (
                    <a href={`#/runs/${encodeURIComponent(last)}`}>{STATUS[c.status]}</a>
                  ) : (
                    STATUS[c.status]
                  )}
                  {c.recordIds.length > 1 && (
                    <span className="muted"> ({c.recordIds.length} attempts)</span>
                  )}
                  {c.detail && <div className="muted small">{c.detail}</div>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
