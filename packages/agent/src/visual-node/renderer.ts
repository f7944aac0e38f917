// The CLI's renderer: one HTML file in Debian's Chromium, offline. A host page at a fake origin (served
// by Playwright's routing, so no server and no DNS) runs the shared frame host (runFrameHost, the same
// function the page calls) around the probe-injected srcdoc; every other request, navigations included,
// is refused by routing and recorded. Meanwhile the frame is photographed every 0.5 s for 5 s, and the
// probe's messages are reduced to an Observation by the same code as the page's.
//
// Routing does not see every navigation the frame starts in its own out-of-process frame (about 1
// fresh-browser render in 8 here). Those are refused all the same, and in the default setup the host
// page's CSP is what records a navigation (tests/integration/visual-run.test.ts).
import { randomBytes } from 'node:crypto';
import {
  buildSrcdoc,
  observationOf,
  runFrameHost,
  type Observation,
  type VisualRenderer,
  type VisualRequirement,
} from '@localds/benchmarks';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { launchChromium } from './chromium.js';

/** The host page's made-up origin: `.invalid` never resolves, and routing serves it. */
export const HOST_URL = 'http://localds.invalid/';

const HOST_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>localds frame host</title>
<style>html,body{margin:0;background:#18181b}#stage{width:100vw;height:100vh}</style></head>
<body><div id="stage"></div></body></html>`;
/** The frame may not be navigated to a URL (what `frame-src` governs for a srcdoc frame). */
export const HOST_CSP = "frame-src 'none'";

export interface NodeRendererOptions {
  /** Chromium's binary; default LOCALDS_CHROMIUM, else /usr/bin/chromium. */
  executablePath?: string;
  /** How long the frame is watched (ms). Default 5000. */
  durationMs?: number;
  /** Screenshot interval (ms). Default 500: ten screenshots over the default 5 s. */
  screenshotEveryMs?: number;
  /** The frame's size before and after the host's midway resize. */
  size?: { width: number; height: number };
  resizeTo?: { width: number; height: number };
  /**
   * The host page's Content-Security-Policy; default HOST_CSP. null leaves routing as the only wall
   * against the frame navigating itself (for tests that show each wall holds alone).
   */
  hostCsp?: string | null;
}

const DEFAULT_SIZE = { width: 640, height: 400 };
const DEFAULT_RESIZE = { width: 420, height: 560 };
const SCREENSHOT_TIMEOUT_MS = 2000;

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Which screenshots differed from the one before (by their PNG bytes: Chromium encodes deterministically). */
export function screenshotChanges(shots: readonly Uint8Array[]): Observation['screenshots'] {
  return {
    count: shots.length,
    changed: shots.slice(1).map((shot, i) => !equalBytes(shot, shots[i]!)),
  };
}

class AbortedError extends Error {
  override name = 'AbortError';
}

export class NodeVisualRenderer implements VisualRenderer {
  private browser: Promise<Browser> | null = null;
  private readonly durationMs: number;
  private readonly everyMs: number;
  private readonly size: { width: number; height: number };
  private readonly resizeTo: { width: number; height: number };

  constructor(private readonly options: NodeRendererOptions = {}) {
    this.durationMs = options.durationMs ?? 5000;
    this.everyMs = options.screenshotEveryMs ?? 500;
    this.size = options.size ?? DEFAULT_SIZE;
    this.resizeTo = options.resizeTo ?? DEFAULT_RESIZE;
  }

  /** Launches Chromium once; a missing binary throws ChromiumUnavailableError (an environment error). */
  prepare(): Promise<void> {
    return this.launched().then(() => undefined);
  }

  private launched(): Promise<Browser> {
    this.browser ??= launchChromium(this.options.executablePath);
    return this.browser;
  }

  async render(
    html: string,
    options: { requirements: readonly VisualRequirement[]; signal?: AbortSignal },
  ): Promise<{ observation: Observation; frames: Uint8Array[] }> {
    const browser = await this.launched();
    if (options.signal?.aborted) throw new AbortedError('the render was stopped');
    // A fresh context per file: no cache, storage or service worker carries from one file to the next.
    const context = await browser.newContext({
      viewport: {
        width: Math.max(this.size.width, this.resizeTo.width),
        height: Math.max(this.size.height, this.resizeTo.height),
      },
      serviceWorkers: 'block',
      acceptDownloads: false,
    });
    const close = () => void context.close().catch(() => undefined);
    options.signal?.addEventListener('abort', close, { once: true });
    let rendered: { observation: Observation; frames: Uint8Array[] };
    try {
      rendered = await this.renderIn(context, html, options.requirements);
    } finally {
      options.signal?.removeEventListener('abort', close);
      await context.close().catch(() => undefined);
    }
    // Whatever a stopped render saw is not an observation of the file.
    if (options.signal?.aborted) throw new AbortedError('the render was stopped');
    return rendered;
  }

  private async renderIn(
    context: BrowserContext,
    html: string,
    requirements: readonly VisualRequirement[],
  ): Promise<{ observation: Observation; frames: Uint8Array[] }> {
    const blockedRequests: Observation['blockedRequests'] = [];
    const hostCsp = this.options.hostCsp === undefined ? HOST_CSP : this.options.hostCsp;
    await context.route('**/*', (route: Route) => {
      const request = route.request();
      const fromHost = request.frame().parentFrame() === null;
      if (fromHost && request.url() === HOST_URL) {
        return route.fulfill({
          status: 200,
          contentType: 'text/html; charset=utf-8',
          headers: hostCsp ? { 'content-security-policy': hostCsp } : {},
          body: HOST_PAGE,
        });
      }
      if (fromHost && new URL(request.url()).origin === new URL(HOST_URL).origin) {
        // The host page's own asks (a favicon): the harness's, not the file's.
        return route.fulfill({ status: 404, body: '' });
      }
      if (blockedRequests.length < 100) {
        const via = request.isNavigationRequest()
          ? 'routing: navigation'
          : `routing: ${request.resourceType()}`;
        blockedRequests.push({ url: request.url().slice(0, 500), via });
      }
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    let crashed = false;
    page.on('crash', () => {
      crashed = true;
    });
    const userAgent = `Chromium ${context.browser()?.version() ?? 'unknown'}`;
    const renderer = { kind: 'node' as const, userAgent };
    const token = randomBytes(16).toString('hex');
    const fileBytes = new TextEncoder().encode(html).length;
    await page.goto(HOST_URL);
    const srcdoc = buildSrcdoc(html, { token, requirements: [...requirements] });
    const started = Date.now();
    const host = page.evaluate(runFrameHost, {
      container: '#stage',
      srcdoc,
      options: {
        token,
        durationMs: this.durationMs,
        size: this.size,
        resizeTo: this.resizeTo,
      },
    });
    let hostDone = false;
    const hostResult = host.then(
      (raw) => ({ raw, error: null }),
      (error: unknown) => ({ raw: null, error }),
    );
    void hostResult.then(() => {
      hostDone = true;
    });
    const frames = await this.screenshots(page, started, () => hostDone || crashed);
    const { raw, error } = await hostResult;
    const meta = {
      renderer,
      token,
      fileBytes,
      blockedRequests,
      screenshots: screenshotChanges(frames),
    };
    if (crashed) {
      // The file took the whole page down (a memory bomb in a frame sharing its process): the file's
      // doing, seen as a frame that stopped answering, not a harness failure.
      const elapsed = Date.now() - started;
      const hung = {
        messages: [],
        forged: 0,
        dropped: 0,
        hung: true,
        hungAtMs: elapsed,
        resizedAtMs: null,
        pageViolations: [],
        durationMs: Math.max(1, elapsed),
        kept: false,
      };
      return { observation: observationOf(hung, meta), frames };
    }
    if (error !== null) {
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return {
        observation: observationOf(null, {
          ...meta,
          environmentError: `the frame host failed: ${why}`,
        }),
        frames,
      };
    }
    return { observation: observationOf(raw, meta), frames };
  }

  /** A screenshot every `everyMs` for the watch's duration, on the clock (a slow shot does not shift the rest). */
  private async screenshots(
    page: Page,
    started: number,
    over: () => boolean,
  ): Promise<Uint8Array[]> {
    const shots: Uint8Array[] = [];
    const count = Math.floor(this.durationMs / this.everyMs);
    for (let i = 0; i < count && !over(); i++) {
      const wait = started + i * this.everyMs - Date.now();
      if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
      if (over()) break;
      try {
        shots.push(new Uint8Array(await page.screenshot({ timeout: SCREENSHOT_TIMEOUT_MS })));
      } catch {
        // A frame that hangs the compositor gives no picture; the host's hang check says why.
        break;
      }
    }
    return shots;
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    if (browser) await (await browser.catch(() => null))?.close();
  }
}
