// The visual probe, srcdoc and frame host in Chromium, on a minimal host page whose CSP is the page's
// intended one: every hostile fixture changes nothing outside the frame, never reaches the network, and
// ends in the verdict its manifest says.
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  buildSrcdoc,
  INJECTED_CSP,
  observationOf,
  runFrameHost,
  scoreVisual,
  getVisualBenchmark,
  type FrameHostOptions,
  type Observation,
  type VisualBenchmark,
  type VisualScore,
} from '@localds/benchmarks';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, REPO_ROOT } from './helpers/workbench.js';

const HOSTILE = join(REPO_ROOT, 'tests/fixtures/visual/hostile');
const PAGE_CSP = "frame-src 'none'; object-src 'none'; base-uri 'self'";
const HOST_PAGE = `<!doctype html><html><head><title>host</title></head><body>
<h1 id="outside">outside the frame</h1><div id="stage"></div></body></html>`;

interface HostileCase {
  file: string;
  tries: string;
  fails: string[];
  blocked?: boolean;
  hung?: boolean;
  udpPackets?: number;
  forgedAtLeast?: number;
}
const manifest = JSON.parse(readFileSync(join(HOSTILE, 'hostile.json'), 'utf8')) as Record<
  string,
  HostileCase
>;

let server: Server;
let hostUrl: string;
let browser: Browser;
let context: BrowserContext;
let udp: Socket;
let udpPort: number;
let udpPackets = 0;
/** Every request the browser started, and how it ended: 'finished', or the error it failed with. */
const requests: { url: string; outcome: string }[] = [];

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
    });
    res.end(HOST_PAGE);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  hostUrl = `http://127.0.0.1:${address.port}/`;
  // A STUN "server": any UDP packet that arrives here is a WebRTC attempt that got out.
  udp = createSocket('udp4');
  udp.on('message', () => udpPackets++);
  await new Promise<void>((ok) => udp.bind(0, '127.0.0.1', ok));
  udpPort = udp.address().port;
  browser = await launch();
  context = await browser.newContext();
  context.on('requestfinished', (r) => requests.push({ url: r.url(), outcome: 'finished' }));
  context.on('requestfailed', (r) =>
    requests.push({ url: r.url(), outcome: r.failure()?.errorText ?? 'failed' }),
  );
});

afterAll(async () => {
  await browser?.close();
  await new Promise((ok) => server?.close(ok));
  udp?.close();
});

function withUdpPort(html: string): string {
  return html.replaceAll('127.0.0.1:3478', `127.0.0.1:${udpPort}`);
}

/** What outside the frame a file could change: the page's URL, title and markup besides the stage. */
function outside(page: Page) {
  return page.evaluate(() => ({
    url: location.href,
    title: document.title,
    heading: document.getElementById('outside')?.outerHTML,
    children: Array.from(document.body.children, (e) => e.id),
  }));
}

interface Rendered {
  observation: Observation;
  score: VisualScore;
  hostTicks: number;
  framesLeft: number;
}

interface RenderSetup {
  /** Host options besides the token (the defaults otherwise). */
  options?: Omit<FrameHostOptions, 'token'>;
  /** Runs on the host page just before the frame host starts. */
  before?: (page: Page) => Promise<void>;
}

async function render(
  benchmark: VisualBenchmark,
  html: string,
  setup: RenderSetup = {},
): Promise<Rendered> {
  const page = await context.newPage();
  try {
    await page.goto(hostUrl);
    const before = await outside(page);
    const token = `t${Math.random().toString(36).slice(2, 14)}`;
    const srcdoc = buildSrcdoc(html, { token, requirements: benchmark.requirements });
    // A 100 ms heartbeat of the host page: it keeps beating while a hostile frame hangs (its own process).
    await page.evaluate(() => {
      (window as unknown as { ticks: number }).ticks = 0;
      setInterval(() => (window as unknown as { ticks: number }).ticks++, 100);
    });
    await setup.before?.(page);
    const raw = await page.evaluate(runFrameHost, {
      container: '#stage',
      srcdoc,
      options: { ...setup.options, token },
    });
    const hostTicks = await page.evaluate(() => (window as unknown as { ticks: number }).ticks);
    const framesLeft = await page.evaluate(() => document.querySelectorAll('iframe').length);
    expect(await outside(page)).toEqual(before);
    const observation = observationOf(raw, {
      renderer: { kind: 'node', userAgent: browser.version() },
      token,
      fileBytes: Buffer.byteLength(html),
    });
    return { observation, score: scoreVisual(benchmark, html, observation), hostTicks, framesLeft };
  } finally {
    await page.close();
  }
}

/**
 * Never the network: the host page is the only request that completed; any other the browser started
 * (Chromium reports a CSP-blocked XHR, image or prefetch as a request failed with "csp") was refused inside it.
 */
function expectOnlyTheHostPageLoaded(why: string) {
  const finished = requests.filter((r) => r.outcome === 'finished').map((r) => r.url);
  expect(finished, why).toEqual([hostUrl]);
  const others = requests.filter((r) => r.outcome !== 'finished');
  for (const r of others) expect(r.outcome, `${r.url} ${why}`).toBe('csp');
}

const failed = (s: VisualScore) => s.checks.filter((c) => c.passed === false).map((c) => c.id);

describe('hostile files in the sandboxed, probed frame', () => {
  const bench = getVisualBenchmark('cherry-blossoms');

  it.each(Object.entries(manifest))('%s: %s', async (name, expected) => {
    requests.length = 0;
    udpPackets = 0;
    const html = withUdpPort(readFileSync(join(HOSTILE, expected.file), 'utf8'));
    const { observation: o, score, hostTicks, framesLeft } = await render(bench, html);
    const why = JSON.stringify({
      name,
      checks: score.checks,
      o: { ...o, samples: o.samples.length },
    });

    expectOnlyTheHostPageLoaded(why);
    // A clear verdict, the model's (not an environment error), failing exactly the expected checks.
    expect(score.environmentError, why).toBeNull();
    expect(failed(score).sort(), why).toEqual([...expected.fails].sort());
    // The page kept running throughout (~50 beats in 5 s; a page blocked by the frame gets none).
    expect(hostTicks, why).toBeGreaterThan(15);
    expect(framesLeft).toBe(0);
    expect(o.hung, why).toBe(expected.hung === true);
    if (expected.blocked) expect(o.blockedRequests.length, why).toBeGreaterThan(0);
    if (expected.forgedAtLeast !== undefined) {
      expect(o.forgedMessages, why).toBeGreaterThanOrEqual(expected.forgedAtLeast);
    }
    if (expected.udpPackets !== undefined) {
      await new Promise((ok) => setTimeout(ok, 500));
      expect(udpPackets, why).toBe(expected.udpPackets);
    }
  });

  it('control: without the probe the same STUN attempt does reach the UDP listener', async () => {
    udpPackets = 0;
    const html = withUdpPort(readFileSync(join(HOSTILE, 'webrtc-stun.html'), 'utf8'));
    const page = await context.newPage();
    try {
      await page.goto(hostUrl);
      const csp = `<meta http-equiv="Content-Security-Policy" content="${INJECTED_CSP}">`;
      await page.evaluate(
        (srcdoc) => {
          const f = document.createElement('iframe');
          f.setAttribute('sandbox', 'allow-scripts');
          f.srcdoc = srcdoc;
          document.getElementById('stage')!.append(f);
        },
        html.replace('<!doctype html>', `<!doctype html>${csp}`),
      );
      await expect.poll(() => udpPackets, { timeout: 10_000 }).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });
});

describe('the frame host', () => {
  it('watches the half after the resize in full when the host stalled before it', async () => {
    // A file that repaints every frame at the window's size: it moves in both halves.
    const html = `<!doctype html><html><body style="margin:0"><canvas id="c"></canvas><script>
const c = document.getElementById('c'), g = c.getContext('2d');
const fit = () => { c.width = innerWidth; c.height = innerHeight; };
fit(); addEventListener('resize', fit);
let n = 0;
(function draw() { g.fillStyle = 'hsl(' + (n++ % 360) + ',80%,50%)'; g.fillRect(0, 0, c.width, c.height); requestAnimationFrame(draw); })();
</script></body></html>`;
    // The host page's main thread is busy from 0.5 s to 3.2 s, across the resize due at 2 s: what a
    // 50 MB message to deserialise does to the host.
    const stallHost = (page: Page) =>
      page.evaluate(() => {
        setTimeout(() => {
          const end = performance.now() + 2700;
          while (performance.now() < end);
        }, 500);
      });
    const { observation: o, score } = await render(getVisualBenchmark('cherry-blossoms'), html, {
      options: { durationMs: 4000, resizeAtMs: 2000 },
      before: stallHost,
    });
    const why = JSON.stringify({ ...o, samples: o.samples.map((s) => [s.t, s.viewport]) });
    // The stall did delay the resize (else this test proves nothing)...
    expect(o.resizedAtMs, why).toBeGreaterThan(3000);
    // ...and the 2 s after it were still watched: a sample every 0.5 s at the new size.
    const after = o.samples.filter((s) => s.viewport.width === 420 && s.viewport.height === 560);
    expect(after.length, why).toBeGreaterThanOrEqual(3);
    for (const id of ['animates', 'fills_viewport']) {
      expect(score.checks.find((c) => c.id === id)?.passed, why).toBe(true);
    }
  });
});
