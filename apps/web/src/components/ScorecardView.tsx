import type { Scorecard } from '@localds/scorer';
import { judgedText } from '../runs/score-text.js';

const fmt = (v: number | null) => (v === null ? '—' : String(v));

/**
 * The twelve checks with points and details, then precision, diagnostics and notes. The score is
 * "x of y judged": a check that could not be judged shows why and counts in neither number.
 */
export function ScorecardView({ card }: { card: Scorecard }) {
  return (
    <section className="scorecard" aria-labelledby="scorecard-title">
      <h2 id="scorecard-title">
        Score <span data-testid="score-judged">{judgedText(card)}</span>{' '}
        <span data-testid="score-pct">({card.pct}%)</span>{' '}
        <span className="muted">
          {card.mode} mode, scorer {card.scorer_version}
          {card.judged < card.total &&
            `; ${card.total - card.judged} of ${card.total} points not judged`}
        </span>
      </h2>
      <div className="table-wrap">
        <table className="checks">
          <caption className="sr-only">The twelve checks</caption>
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Result</th>
              <th scope="col">Points</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(card.checks).map(([id, check]) => (
              <tr
                key={id}
                data-check-id={id}
                className={!check.judged ? 'not-judged' : check.pass ? 'pass' : 'fail'}
              >
                <th scope="row">
                  {check.label}
                  <div className="muted mono small">{id}</div>
                </th>
                <td data-field="pass">
                  {!check.judged ? '– not judged' : check.pass ? '✓ pass' : '✗ fail'}
                </td>
                <td data-field="points">
                  <span data-field="earned">{check.earned}</span>/
                  <span data-field="max">{check.max}</span>
                </td>
                <td data-field="detail">{check.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {card.precision && (
        <details className="block">
          <summary>
            Precision (tighter tolerances, not scored): {card.precision.pass ? 'pass' : 'fail'}
          </summary>
          <table>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Reported</th>
                <th scope="col">Expected</th>
                <th scope="col">Tolerance</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(card.precision.checks).map(([id, c]) => (
                <tr key={id}>
                  <th scope="row" className="mono">
                    {id}
                  </th>
                  <td>{fmt(c.reported)}</td>
                  <td>{fmt(c.expected)}</td>
                  <td>{fmt(c.tolerance)}</td>
                  <td>{c.pass ? '✓' : '✗'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      <h3>Diagnostics</h3>
      {card.diagnostics.length ? (
        <ul className="diagnostics">
          {card.diagnostics.map((d) => (
            <li key={d.id + d.field}>{d.message}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">No known mistake explains the reported numbers.</p>
      )}
      {card.notes.length > 0 && (
        <>
          <h3>Notes</h3>
          <ul className="notes">
            {card.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
