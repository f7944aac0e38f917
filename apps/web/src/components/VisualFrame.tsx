import { buildSrcdoc } from '@localds/benchmarks';
import { useMemo, useState } from 'react';
import './visual-frame.css';

/**
 * Nothing reads a player's probe messages, so its samples are rare: the probe is here for what it
 * guards (WebRTC, which the CSP cannot block in Chromium), not for what it measures.
 */
const PLAYER_SAMPLE_EVERY_MS = 60_000;

/**
 * Plays one untrusted, model-written HTML file: a sandboxed iframe (`allow-scripts` only, never
 * `allow-same-origin`, so the file runs in an opaque origin and cannot reach this page, its storage or
 * the top window) with the file as `srcdoc` built by the harness's own buildSrcdoc: the injected CSP
 * that allows no network, and the probe, whose messages go unheard here (a fresh token per file, so
 * no renderer on the page takes them for its own). A player for people to watch, not the harness's
 * renderer. "Restart" re-mounts the frame, so the animation starts over from a fresh document.
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
  const srcdoc = useMemo(
    () =>
      buildSrcdoc(html, {
        token: crypto.randomUUID(),
        requirements: [],
        sampleEveryMs: PLAYER_SAMPLE_EVERY_MS,
      }),
    [html],
  );
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
