import { describeComparability } from '@localds/scorer';
import { isEnvironmentRun } from '../runs/comparability.js';
import { formatPct, leaderboard } from '../runs/stats.js';
import type { RunRecord } from '../storage/run-record.js';
import { ScriptedBadge } from './Status.js';

/**
 * Models ranked by mean score over trials, one table per comparability group (never pooled across
 * groups). Runs lost to an environment failure are counted here and nowhere else.
 */
export function Leaderboard({ runs }: { runs: RunRecord[] }) {
  const groups = leaderboard(runs);
  const environment = runs.filter(isEnvironmentRun).length;
  if (!groups.length && !environment) return null;
  return (
    <>
      {environment > 0 && (
        <p className="notice" role="note" data-testid="environment-runs">
          {environment} run(s) ended on an environment or harness failure: they are not a
          model&rsquo;s score and are not counted below.
        </p>
      )}
      {groups.map((group) => (
        <div key={group.key} className="table-wrap">
          <table className="leaderboard" data-group={group.key}>
            <caption>{describeComparability(group.comparability)}</caption>
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
