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
  const fields = [
    ...new Set([...Object.keys(oracle.raw_stats), ...Object.keys(reported?.raw_stats ?? {})]),
  ];
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
          <tr>
            <th scope="row">status</th>
            {withRun && <td>{show(reported?.status)}</td>}
            <td>{show(oracle.status)}</td>
          </tr>
          <tr>
            <th scope="row">recommended_variant</th>
            {withRun && <td>{show(reported?.recommended_variant)}</td>}
            <td>{show(oracle.recommended_variant)}</td>
          </tr>
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
    </div>
  );
}
