import { suiteIds, suiteMembers } from '@localds/benchmarks';
import { describeComparability } from '@localds/scorer';
import {
  describeSuiteScore,
  formatInterval,
  modelKey,
  suiteScores,
} from '@localds/scorer/score-stats';
import { countsAsTrial, isEnvironmentRun, recordComparability } from '../runs/comparability.js';
import { MAX_COMPARE } from '../runs/compare-limits.js';
import { formatPct, leaderboard, type LeaderboardGroup } from '../runs/stats.js';
import type { RunRecord } from '../storage/run-record.js';
import { PassKCells, PassKHeads, shownKs } from './PassK.js';
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
      {suiteIds().map((suite) => (
        <SuiteTable key={suite} suite={suite} runs={runs} />
      ))}
      {groups.map((group) => (
        <GroupTable key={group.key} group={group} />
      ))}
    </>
  );
}

/** One comparability group: each model's trials, mean with its interval, spread and pass^k. */
function GroupTable({ group }: { group: LeaderboardGroup }) {
  const ks = shownKs(group.rows.map((r) => r.stats.n));
  const ids = group.rows.flatMap((r) => r.recordIds);
  return (
    <div className="table-wrap">
      <table className="leaderboard" data-group={group.key}>
        <caption>
          {describeComparability(group.comparability)}
          {group.rows.length > 1 && ids.length <= MAX_COMPARE && (
            <>
              {' '}
              ·{' '}
              <a href={`#/compare?ids=${ids.map(encodeURIComponent).join(',')}`}>
                compare these models
              </a>
            </>
          )}
        </caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Trials</th>
            <th scope="col">Best</th>
            <th scope="col">Mean ± sd</th>
            <th scope="col">95% interval</th>
            <th scope="col">Range</th>
            <th scope="col">At 100%</th>
            <PassKHeads ks={ks} />
          </tr>
        </thead>
        <tbody>
          {group.rows.map((row) => (
            <tr
              key={`${row.scripted}:${row.model}`}
              data-model={modelKey({ name: row.model, scripted: row.scripted })}
            >
              <th scope="row">
                {row.model} <ScriptedBadge scripted={row.scripted} />
              </th>
              <td className="num">{row.stats.n}</td>
              <td className="num">{formatPct(row.stats.best)}%</td>
              <td className="num">
                {formatPct(row.stats.mean)} ± {formatPct(row.stats.sd)}
              </td>
              <td
                className="num"
                data-stat="interval"
                title={row.stats.interval.reason ?? undefined}
              >
                {formatInterval(row.stats.interval)}
              </td>
              <td className="num">
                {formatPct(row.stats.min)}–{formatPct(row.stats.best)}
              </td>
              <td className="num">
                {row.stats.perfect} of {row.stats.n}
              </td>
              <PassKCells ks={ks} passK={row.stats.passK} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A suite's score per model and conditions: the mean of its benchmarks' mean scores, or what is missing.
 * A different kind of number from a benchmark's, so it has its own table.
 */
function SuiteTable({ suite, runs }: { suite: string; runs: RunRecord[] }) {
  const members = suiteMembers(suite).map((b) => b.id);
  const trials = runs.filter(countsAsTrial).map((r) => ({
    model: `${r.model.name}${r.scripted ? ' (scripted)' : ''}`,
    comparability: recordComparability(r)!,
    pct: r.scorecard!.pct,
  }));
  const scores = suiteScores(members, trials);
  if (!scores.length) return null;
  return (
    <div className="table-wrap">
      <table className="suite-board" data-suite={suite}>
        <caption>
          Suite {suite}: the mean of {members.length} benchmarks&rsquo; mean scores
        </caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Conditions</th>
            {members.map((m) => (
              <th key={m} scope="col">
                {m}
              </th>
            ))}
            <th scope="col">Suite</th>
          </tr>
        </thead>
        <tbody>
          {scores.map((s) => (
            <tr key={`${s.model}|${s.conditions}`}>
              <th scope="row">{s.model}</th>
              <td className="small">{s.conditions}</td>
              {s.members.map((m) => (
                <td key={m.benchmark} className="num">
                  {m.mean === null ? '—' : `${formatPct(m.mean)}% (${m.trials})`}
                </td>
              ))}
              <td data-testid="suite-score">{describeSuiteScore(s)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
