/// <reference lib="dom" />

/**
 * The frame host: renders one srcdoc (./probe/srcdoc.ts) in a sandboxed iframe and collects what the probe
 * says. The page calls it directly; Node passes it to Playwright as `page.evaluate(runFrameHost, args)`,
 * which serialises the function's source — so it is SELF-CONTAINED: no imports, no module-scope
 * references, JSON in and JSON out, and it creates the iframe itself inside `args.container` (a selector).
 *
 * Trust: only messages whose source is this frame's window and whose token matches are kept; anything
 * else that came from the frame, or that claims to be the probe, is counted as forged and dropped unread.
 * The messages kept are still untrusted (the file shares the probe's window): ../reduce.ts validates them.
 */

export interface FrameSize {
  width: number;
  height: number;
}

export interface FrameHostOptions {
  /** The token given to buildSrcdoc. */
  token: string;
  /**
   * How long to watch the frame (ms). Default 5000. A host stalled before the resize lengthens the watch:
   * the part after the resize always lasts `durationMs - resizeAtMs`.
   */
  durationMs?: number;
  /** The frame's size at first, and after the resize. Defaults 640×400, then 420×560 (portrait). */
  size?: FrameSize;
  resizeTo?: FrameSize;
  /** When to resize (ms after the file starts loading). Default half the duration. */
  resizeAtMs?: number;
  /**
   * Ping interval, and how long the frame may leave pings unanswered before it counts as hung (ms), counted
   * in pings sent (so a stalled host does not count). Defaults 500, 3000.
   */
  pingEveryMs?: number;
  hangAfterMs?: number;
  /** Leave a frame that did not hang in place, still playing, after resolving (the page's live view). */
  keepFrame?: boolean;
}

export interface FrameHostArgs {
  /** CSS selector of the element the iframe is created in. */
  container: string;
  srcdoc: string;
  options: FrameHostOptions;
}

export interface RawFrameMessage {
  /** ms after the file started loading in the frame, by the host's clock. */
  atMs: number;
  data: unknown;
}

export interface RawFrameRun {
  messages: RawFrameMessage[];
  /** Messages from the frame with a wrong or missing token, or from elsewhere claiming to be the probe. */
  forged: number;
  /** Genuine messages dropped over the cap (a flood). */
  dropped: number;
  hung: boolean;
  hungAtMs: number | null;
  resizedAtMs: number | null;
  /** Navigations of the frame the page's own CSP refused (frame-src), seen from the page. */
  pageViolations: { url: string; via: string }[];
  durationMs: number;
  /** The frame was left playing (keepFrame and not hung). */
  kept: boolean;
}

/** Renders `args.srcdoc` in a fresh `<iframe sandbox="allow-scripts">` and resolves with what came back. */
export function runFrameHost(args: FrameHostArgs): Promise<RawFrameRun> {
  const MAX_MESSAGES = 400;
  const options = args.options;
  const token = options.token;
  const durationMs = options.durationMs ?? 5000;
  const size = options.size ?? { width: 640, height: 400 };
  const resizeTo = options.resizeTo ?? { width: 420, height: 560 };
  const resizeAtMs = options.resizeAtMs ?? durationMs / 2;
  const pingEveryMs = options.pingEveryMs ?? 500;
  const hangAfterMs = options.hangAfterMs ?? 3000;

  const container = document.querySelector(args.container);
  if (!container)
    return Promise.reject(new Error(`runFrameHost: no element matches ${args.container}`));

  const frame = document.createElement('iframe');
  // Scripts only: no allow-same-origin (an opaque origin), no popups, forms, top navigation or modals.
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.setAttribute('title', 'rendered file');
  frame.style.border = '0';
  frame.style.display = 'block';
  frame.style.width = `${size.width}px`;
  frame.style.height = `${size.height}px`;

  const run: RawFrameRun = {
    messages: [],
    forged: 0,
    dropped: 0,
    hung: false,
    hungAtMs: null,
    resizedAtMs: null,
    pageViolations: [],
    durationMs,
    kept: false,
  };
  let started = 0;
  const elapsed = () => Math.round(performance.now() - started);
  // Hang detection counts unanswered pings rather than wall time: a host stalled by something else (a
  // 50 MB message to deserialise) sends no pings meanwhile, so it never mistakes its own stall for the frame's.
  const missedPingsAllowed = Math.max(2, Math.ceil(hangAfterMs / pingEveryMs));
  let lastPong = -1;
  let pingCount = 0;

  const onMessage = (event: MessageEvent) => {
    const data: unknown = event.data;
    const claimsProbe =
      typeof data === 'object' &&
      data !== null &&
      (data as { localds?: unknown }).localds === 'probe';
    if (event.source !== frame.contentWindow || frame.contentWindow === null) {
      if (claimsProbe) run.forged++;
      return;
    }
    if (!claimsProbe || (data as { token?: unknown }).token !== token) {
      run.forged++;
      return;
    }
    const message = data as { kind?: unknown; body?: { n?: unknown } };
    if (
      message.kind === 'pong' &&
      typeof message.body?.n === 'number' &&
      message.body.n < pingCount
    ) {
      lastPong = Math.max(lastPong, message.body.n);
    }
    if (run.messages.length >= MAX_MESSAGES) {
      run.dropped++;
      return;
    }
    run.messages.push({ atMs: elapsed(), data });
  };
  const onViolation = (event: SecurityPolicyViolationEvent) => {
    // Only the directives that govern the frame's own navigation belong to the file.
    if (!/^(frame-src|child-src|default-src)$/.test(event.effectiveDirective)) return;
    if (run.pageViolations.length >= 50) return;
    run.pageViolations.push({
      url: String(event.blockedURI).slice(0, 500),
      via: `page ${event.effectiveDirective}`,
    });
  };

  return new Promise<RawFrameRun>((resolve) => {
    const timers: number[] = [];
    let pinger: number | undefined;
    let finished = false;
    const finish = (hung: boolean) => {
      if (finished) return;
      finished = true;
      for (const id of timers) clearTimeout(id);
      clearInterval(pinger);
      window.removeEventListener('message', onMessage);
      document.removeEventListener('securitypolicyviolation', onViolation);
      if (hung) {
        run.hung = true;
        run.hungAtMs = elapsed();
      }
      run.kept = !hung && options.keepFrame === true;
      if (!run.kept) frame.remove();
      resolve(run);
    };

    let loading = false;
    const load = () => {
      if (loading) return;
      loading = true;
      started = performance.now();
      frame.srcdoc = args.srcdoc;
      pinger = window.setInterval(() => {
        if (pingCount - 1 - lastPong >= missedPingsAllowed) {
          finish(true);
          return;
        }
        // The ping carries no token: the file can read it too.
        frame.contentWindow?.postMessage({ localds: 'ping', n: pingCount++ }, '*');
      }, pingEveryMs);
      if (resizeAtMs < durationMs) {
        timers.push(
          window.setTimeout(() => {
            frame.style.width = `${resizeTo.width}px`;
            frame.style.height = `${resizeTo.height}px`;
            run.resizedAtMs = elapsed();
            // The half after the resize is timed from the resize itself: a host stalled before it
            // (a 50 MB message to deserialise) fires the resize late, and an end fixed from the start
            // would leave the second half too short to judge.
            timers.push(window.setTimeout(() => finish(false), durationMs - resizeAtMs));
          }, resizeAtMs),
        );
      } else {
        timers.push(window.setTimeout(() => finish(false), durationMs));
      }
    };

    window.addEventListener('message', onMessage);
    document.addEventListener('securitypolicyviolation', onViolation);
    // The file loads only once the empty frame has been laid out and painted at its size. A srcdoc set
    // before that can start the file's scripts in a 0×0 window (4 of 350 loads in Chromium here),
    // and a file that sizes its canvas from innerWidth at load then looks frozen until the resize. A
    // hidden tab paints no frames, hence the timeout.
    container.appendChild(frame);
    requestAnimationFrame(() => requestAnimationFrame(load));
    window.setTimeout(load, 250);
  });
}
