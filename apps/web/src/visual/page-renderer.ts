import {
  buildSrcdoc,
  observationOf,
  runFrameHost,
  type Observation,
  type VisualRenderer,
} from '@localds/benchmarks';

/** Where the page renders files: a small panel fixed in the window's corner, created on first use. */
const STAGE_ID = 'visual-render-stage';

/**
 * The stage must be on screen: Chromium stops painting (and stops animation frames in) a cross-origin
 * frame outside the viewport, so a frame rendered off screen or scrolled away would read as still. A
 * fixed panel stays in view whatever the user scrolls to.
 */
function stage(): HTMLElement {
  let element = document.getElementById(STAGE_ID);
  if (!element) {
    element = document.createElement('div');
    element.id = STAGE_ID;
    element.className = 'visual-render-stage';
    element.setAttribute('role', 'region');
    element.setAttribute('aria-label', 'The file being rendered (sandboxed, no network)');
    document.body.append(element);
  }
  return element;
}

/** A render token: letters and digits only, as buildSrcdoc requires. */
const newToken = () => crypto.randomUUID().replace(/-/g, '');

const fileBytes = (html: string) => new TextEncoder().encode(html).length;

/**
 * The page's VisualRenderer: each file in a fresh `sandbox="allow-scripts"` srcdoc frame with the probe
 * and a no-network CSP (vcore's buildSrcdoc), watched by the shared frame host for its full duration and
 * reduced to an Observation by the same code as Node's, so a file scores the same here and in `localds
 * score`. The last frame keeps playing in the stage until the next render or close(). A frame that hangs
 * is torn down by the host; a host that fails is an environment error, never the model's.
 */
export function createPageRenderer(): VisualRenderer {
  const renderer = { kind: 'page' as const, userAgent: navigator.userAgent };
  return {
    async render(html, { requirements }): Promise<{ observation: Observation }> {
      const token = newToken();
      const meta = { renderer, token, fileBytes: fileBytes(html) };
      const container = stage();
      container.replaceChildren();
      try {
        const srcdoc = buildSrcdoc(html, { token, requirements });
        const raw = await runFrameHost({
          container: `#${STAGE_ID}`,
          srcdoc,
          options: { token, keepFrame: true },
        });
        return { observation: observationOf(raw, meta) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return {
          observation: observationOf(null, {
            ...meta,
            environmentError: `the page's frame host failed: ${message}`,
          }),
        };
      }
    },
    async close() {
      document.getElementById(STAGE_ID)?.remove();
    },
  };
}
