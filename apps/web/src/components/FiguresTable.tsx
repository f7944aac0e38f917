import type { Figures } from '../storage/run-record.js';

const show = (v: number | string | null | undefined) =>
  v === null || v === undefined
    ? '—'
    : typeof v === 'number'
      ? String(Math.round(v * 1e6) / 1e6)
      : v;

/** The run's reported figures beside the oracle's; `reported` undefined shows the oracle alone. */
export function FiguresTable({ reported, oracle }: { reported?: Figures | null; oracle: Figures }) {
  const withRun = reported !== undefined;
  const union = (a: object, b: object | undefined) => [
    ...new Set([...Object.keys(a), ...Object.keys(b ?? {})]),
  ];
  const decisions = union(oracle.decision, reported?.decision);
  const fields = union(oracle.raw_stats, reported?.raw_stats);
  return (
    <div className="table-wrap">
      <table className="figures">
        <caption className="sr-only">Reported figures beside the oracle</caption>
        <thead>
          <tr>
            <th scope="col">Figure</th>
            {withRun && <th scope="col">Run reported</th>}
            <th scope="col">Oracle</th>
          </tr>
        </thead>
        <tbody>
          {decisions.map((f) => (
            <tr key={f}>
              <th scope="row">{f}</th>
              {withRun && <td>{show(reported?.decision[f])}</td>}
              <td>{show(oracle.decision[f])}</td>
            </tr>
          ))}
          {fields.map((f) => (
            <tr key={f}>
              <th scope="row" className="mono">
                {f}
              </th>
              {withRun && <td>{show(reported?.raw_stats[f])}</td>}
              <td>{show(oracle.raw_stats[f])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {withRun && !reported && <p className="muted">The run wrote no readable summary.json.</p>}
      {!withRun && oracle.reasons && (
        <ul className="small">
          {oracle.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
