import { VISUAL_CHECKS, type Observation, type VisualScore } from '@localds/benchmarks';

const LABELS = new Map<string, string>(VISUAL_CHECKS.map((c) => [c.id, c.label]));

/** A visual score as a line: "85/100" or why there is none. */
export function visualScoreText(score: VisualScore | null): string {
  if (!score) return 'not scored (no file rendered)';
  if (score.environmentError) return `environment error: ${score.environmentError}`;
  return score.score === null ? 'nothing could be judged' : `${Math.round(score.score)}/100`;
}

/** The seven checks with their points and what each saw. */
export function VisualChecks({ score }: { score: VisualScore }) {
  return (
    <>
      <p className="score-line" data-testid="visual-score">
        <strong>{visualScoreText(score)}</strong>
      </p>
      {score.environmentError && (
        <p className="notice" role="note" data-testid="visual-environment-error">
          The harness or environment failed, not the model ({score.environmentError}): no check was
          judged and this is not the model&rsquo;s score.
        </p>
      )}
      <table className="checks" data-testid="visual-checks">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Points</th>
            <th scope="col">What was seen</th>
          </tr>
        </thead>
        <tbody>
          {score.checks.map((c) => (
            <tr
              key={c.id}
              data-check={c.id}
              data-passed={c.passed === null ? 'not-judged' : String(c.passed)}
            >
              <th scope="row">{LABELS.get(c.id) ?? c.id}</th>
              <td className="mono">{c.points === null ? 'not judged' : `${c.points}/${c.max}`}</td>
              <td>{c.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** What one render saw, in a few lines (the model's feedback says the same in words). */
export function ObservationSummary({ observation }: { observation: Observation }) {
  const last = observation.samples.at(-1);
  return (
    <dl className="observation small" data-testid="observation">
      <dt>Probe</dt>
      <dd>{observation.probeReady ? 'answered' : 'never answered'}</dd>
      <dt>First frame</dt>
      <dd>
        {observation.firstFrameMs === null ? 'none' : `${Math.round(observation.firstFrameMs)} ms`}
      </dd>
      <dt>Animation frames</dt>
      <dd>{last ? last.frames : 0}</dd>
      <dt>Script errors</dt>
      <dd>{observation.scriptErrors.length ? observation.scriptErrors.join(' · ') : 'none'}</dd>
      <dt>Blocked requests</dt>
      <dd>
        {observation.blockedRequests.length
          ? observation.blockedRequests.map((r) => `${r.url} (${r.via})`).join(' · ')
          : 'none'}
      </dd>
      {observation.forgedMessages > 0 && (
        <>
          <dt>Forged probe messages</dt>
          <dd>{observation.forgedMessages} (ignored)</dd>
        </>
      )}
      {observation.hung && (
        <>
          <dt>Hung</dt>
          <dd>the frame stopped answering and was torn down</dd>
        </>
      )}
      {observation.environmentError && (
        <>
          <dt>Environment error</dt>
          <dd>{observation.environmentError}</dd>
        </>
      )}
    </dl>
  );
}
