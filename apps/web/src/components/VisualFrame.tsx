import { useMemo, useState } from 'react';
import { playerSrcdoc } from '../visual/player-srcdoc.js';
import './visual-frame.css';

/**
 * Plays one untrusted, model-written HTML file: a sandboxed iframe (`allow-scripts` only, never
 * `allow-same-origin`, so the file runs in an opaque origin and cannot reach this page, its storage or
 * the top window) with the file as `srcdoc` behind an injected CSP that allows no network. No probe:
 * this is a player for people to watch, not the harness's renderer. "Restart" re-mounts the frame, so
 * the animation starts over from a fresh document.
 */
export function VisualFrame({
  html,
  title,
  aspect = '16 / 10',
  testId,
}: {
  html: string;
  /** Says what the frame shows, for assistive technology (the iframe's title). */
  title: string;
  /** CSS aspect-ratio of the box the file fills (the file must fill any size). */
  aspect?: string;
  testId?: string;
}) {
  const [generation, setGeneration] = useState(0);
  const srcdoc = useMemo(() => playerSrcdoc(html), [html]);
  return (
    <figure className="visual-frame" data-testid={testId}>
      <div className="visual-frame-box" style={{ aspectRatio: aspect }}>
        <iframe
          key={generation}
          title={title}
          sandbox="allow-scripts"
          srcDoc={srcdoc}
          referrerPolicy="no-referrer"
          data-generation={generation}
        />
      </div>
      <figcaption>
        <button
          type="button"
          aria-label={`Restart ${title}`}
          onClick={() => setGeneration((g) => g + 1)}
        >
          Restart
        </button>
      </figcaption>
    </figure>
  );
}
