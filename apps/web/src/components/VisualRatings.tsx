import { findVisualBenchmark } from '@localds/benchmarks';
import {
  fitRatings,
  type ModelRating,
  type ModelVoteCounts,
  type RatingFit,
} from '@localds/scorer/score-stats';
import { useMemo } from 'react';
import { checkScoresByModel, type CheckScoreSummary } from '../arena/check-scores.js';
import { useArenaData } from '../storage/use-votes.js';
import { votesInFitOrder } from '../storage/vote-record.js';
import { InvalidRecords } from './InvalidRecords.js';
import { Loading } from './Status.js';
import './arena.css';

const points = (x: number) => x.toFixed(0);

function Interval({ rating }: { rating: ModelRating }) {
  const { interval } = rating;
  if (interval.reason !== null) {
    return (
      <span className="muted" title={interval.reason}>
        no interval ({interval.reason})
      </span>
    );
  }
  return (
    <>
      {points(interval.low)}–{points(interval.high)}
    </>
  );
}

const record = (v: ModelVoteCounts) => `${v.wins}–${v.losses}–${v.ties}`;

function CheckScore({ score }: { score: CheckScoreSummary | undefined }) {
  if (!score) return <span className="muted">—</span>;
  return (
    <>
      {score.mean.toFixed(1)}% ({score.runs} run{score.runs === 1 ? '' : 's'})
    </>
  );
}

/**
 * One fit (a prompt's or all prompts'): a table per group of models connected by votes, each anchored
 * at 1000 on its own and never ranked with another group; models without a fitted vote listed apart.
 */
function FitTables({
  title,
  fit,
  checkScores,
  scope,
}: {
  title: string;
  fit: RatingFit;
  checkScores: Map<string, CheckScoreSummary> | null;
  scope: string;
}) {
  const several = fit.groups.length > 1;
  // Models with runs but no vote at all are not in the fit; they still show their check score.
  const unvoted = checkScores
    ? [...checkScores.keys()].filter(
        (m) =>
          !fit.groups.some((g) => g.models.some((r) => r.model === m)) &&
          !fit.unrated.some((u) => u.model === m),
      )
    : [];
  return (
    <div className="rating-groups" data-ratings={scope}>
      {fit.groups.map((group, g) => (
        <div key={g} className="table-wrap">
          <table className="ratings" data-group={g + 1}>
            <caption>
              {title}: ratings from {group.votes.fitted} blind vote
              {group.votes.fitted === 1 ? '' : 's'}
              {several &&
                ` — group ${g + 1} of ${fit.groups.length}: no votes link it to the other groups, so its ratings are not comparable with theirs`}
              {group.votes.bothBad > 0 && ` (and ${group.votes.bothBad} “both bad”, not fitted)`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Rank</th>
                <th scope="col">Model</th>
                <th scope="col">Rating</th>
                <th scope="col">95% interval</th>
                <th scope="col">Votes won–lost–tied</th>
                <th scope="col">Both bad</th>
                {checkScores && <th scope="col">Check score</th>}
              </tr>
            </thead>
            <tbody>
              {group.models.map((r) => (
                <tr key={r.model} data-model={r.model}>
                  <td className="num">{r.rank}</td>
                  <th scope="row">{r.model}</th>
                  <td className="num" data-field="rating">
                    {points(r.rating)}
                  </td>
                  <td className="num" data-field="interval">
                    <Interval rating={r} />
                  </td>
                  <td className="num" data-field="votes">
                    {record(r.votes)}
                  </td>
                  <td className="num" data-field="both-bad">
                    {r.votes.bothBad}
                  </td>
                  {checkScores && (
                    <td className="num" data-field="check-score">
                      <CheckScore score={checkScores.get(r.model)} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {(fit.unrated.length > 0 || unvoted.length > 0) && (
        <div className="table-wrap">
          <table className="ratings-unrated">
            <caption>{title}: not rated yet</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Why</th>
                <th scope="col">Both bad</th>
                {checkScores && <th scope="col">Check score</th>}
              </tr>
            </thead>
            <tbody>
              {[
                ...fit.unrated.map((u) => ({
                  model: u.model,
                  reason: u.reason,
                  bothBad: u.votes.bothBad,
                })),
                ...unvoted.map((model) => ({ model, reason: 'no votes yet', bothBad: 0 })),
              ].map((u) => (
                <tr key={u.model} data-model={u.model}>
                  <th scope="row">{u.model}</th>
                  <td>{u.reason}</td>
                  <td className="num" data-field="both-bad">
                    {u.bothBad}
                  </td>
                  {checkScores && (
                    <td className="num" data-field="check-score">
                      <CheckScore score={checkScores.get(u.model)} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/**
 * The visual benchmarks on the leaderboard: ratings from blind votes (a Bradley–Terry fit, Elo-like
 * points, mean 1000 per group) beside the mean check score. Two different kinds of number: the check
 * score is what a machine judged of each file, the rating what people preferred between pairs.
 */
export function VisualRatings() {
  const [state] = useArenaData();
  const ratings = useMemo(() => {
    if (state.status !== 'ready') return null;
    try {
      return { ok: true as const, fit: fitRatings(votesInFitOrder(state.data.votes.votes)) };
    } catch (error) {
      return { ok: false as const, error: (error as Error).message };
    }
  }, [state]);
  if (state.status === 'loading') return <Loading what="votes" />;
  if (state.status === 'error') return <p className="error">{state.error}</p>;
  const { visual, votes } = state.data;
  const prompts = [
    ...new Set([...visual.runs.map((r) => r.benchmark.id), ...votes.votes.map((v) => v.benchmark)]),
  ].sort();
  if (prompts.length === 0 && !votes.invalid.length && !visual.invalid.length) return null;
  return (
    <section aria-labelledby="visual-ratings-title" data-testid="visual-ratings">
      <h3 id="visual-ratings-title">Visual benchmarks: ratings from blind votes</h3>
      <p className="muted small">
        A rating is not a check score. It comes from <a href="#/arena">blind pairwise votes</a>: a
        Bradley–Terry fit on an Elo-like scale (400 points = 10:1 odds), each group&rsquo;s mean at
        1000, with a 95% bootstrap interval ({ratings?.ok ? ratings.fit.bootstrap.resamples : 0}{' '}
        resamples) and the votes behind it. Ties count half a win each way; &ldquo;both bad&rdquo;
        votes are counted but not fitted. The check score beside it is the mean of the machine
        checks (0&ndash;100%) over the model&rsquo;s runs of that prompt.
      </p>
      <InvalidRecords what="vote(s)" records={votes.invalid} />
      {ratings && !ratings.ok && (
        <p className="error" role="alert">
          The votes cannot be fitted: {ratings.error}
        </p>
      )}
      {ratings?.ok &&
        prompts.map((id) => {
          const fit = ratings.fit.benchmarks.find((b) => b.benchmark === id) ?? {
            groups: [],
            unrated: [],
            votes: { total: 0, fitted: 0, bothBad: 0, sameModel: 0 },
          };
          return (
            <FitTables
              key={id}
              scope={id}
              title={findVisualBenchmark(id)?.title ?? id}
              fit={fit}
              checkScores={checkScoresByModel(visual.runs, id)}
            />
          );
        })}
      {ratings?.ok && ratings.fit.benchmarks.length > 1 && (
        <FitTables
          scope="overall"
          title="All prompts pooled"
          fit={ratings.fit.overall}
          checkScores={null}
        />
      )}
    </section>
  );
}
