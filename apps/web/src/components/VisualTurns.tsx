import type { Observation } from '@localds/benchmarks';
import { Markdown } from './SafeHtml.js';
import { ObservationSummary } from './VisualChecks.js';

export interface TurnView {
  turn: number;
  reply: string;
  html: string | null;
  observation: Observation | null;
  feedback: string | null;
}

/**
 * The conversation of a visual run: each reply (model output, sanitised: rendered markdown through
 * DOMPurify, so a file in the reply shows as escaped code), what its render saw, and the feedback the
 * model was given.
 */
export function VisualTurns({ turns }: { turns: TurnView[] }) {
  if (!turns.length) return <p className="muted">No turn yet.</p>;
  return (
    <ol className="turns" data-testid="visual-turns">
      {turns.map((t) => (
        <li key={t.turn} className="turn" data-turn={t.turn}>
          <h3 className="small">
            Turn {t.turn}
            {t.html === null
              ? ' · no file in this reply'
              : ` · a file of ${t.html.length} characters`}
          </h3>
          <Markdown text={t.reply} />
          {t.observation && (
            <details>
              <summary>What the render saw</summary>
              <ObservationSummary observation={t.observation} />
            </details>
          )}
          {t.feedback && (
            <details>
              <summary>Feedback to the model</summary>
              <pre className="small feedback">{t.feedback}</pre>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
