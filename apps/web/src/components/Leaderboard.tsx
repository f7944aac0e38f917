import { formatPct, leaderboard } from '../runs/stats.js';
import type { RunRecord } from '../storage/run-record.js';
import { ScriptedBadge } from './Status.js';

/** Models ranked by mean score over trials, one table per comparable group. */
export function Leaderboard({ runs }: { runs: RunRecord[] }) {
  const groups = leaderboard(runs);
  if (!groups.length) return null;
  return (
    <>
      {groups.map((group) => (
        <div key={group.key} className="table-wrap">
          <table className="leaderboard">
            <caption>{group.key}</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Trials</th>
                <th scope="col">Best</th>
                <th scope="col">Mean ± sd</th>
                <th scope="col">Range</th>
                <th scope="col">At 100%</th>
              </tr>
            </thead>
            <tbody>
              {group.rows.map((row) => (
                <tr key={`${row.scripted}:${row.model}`}>
                  <th scope="row">
                    {row.model} <ScriptedBadge scripted={row.scripted} />
                  </th>
                  <td className="num">{row.stats.n}</td>
                  <td className="num">{formatPct(row.stats.best)}%</td>
                  <td className="num">
                    {formatPct(row.stats.mean)} ± {formatPct(row.stats.sd)}
                  </td>
                  <td className="num">
                    {formatPct(row.stats.min)}–{formatPct(row.stats.best)}
                  </td>
                  <td className="num">
                    {row.stats.perfect} of {row.stats.n}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </>
  );
}
