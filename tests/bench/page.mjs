/* global document, performance, localStorage -- the interactive checks run in the page */
// The workbench page's first load: gzip size of the JavaScript index.html loads up front and the
// time until the home view is usable in headless Chromium, each against an empty Vite page built
// and measured the same way in the same run (its React-free h1 + button is the floor).
// And the run's first cell: the time from pressing Run on a benchmark page to the first cell
// starting, with the sandbox pre-started on the page (warm) against pre-starting turned off in
// Settings (cold: the sandbox starts at Run, as before #17), in the same run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { median } from './measure.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITE = join(ROOT, 'node_modules/vite/bin/vite.js');
const LOADS = 7;
/** Runs started per side (cold, warm), alternating so that load on the machine falls on both. */
const FIRST_CELL_RUNS = 5;
/** Where Settings are kept (apps/web/src/storage/settings.ts) and the mark run-trial.ts sets. */
const SETTINGS_KEY = 'localds.settings.v1';
const FIRST_CELL_MARK = 'localds:first-cell';
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

function viteBuild(cwd, outDir) {
  execFileSync(
    process.execPath,
    [VITE, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
    {
      cwd,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

/** An empty Vite page: a heading and a button, rendered by a module script. */
function buildBaseline(dir) {
  const src = join(dir, 'src');
  mkdirSync(src, { recursive: true });
  writeFileSync(
    join(src, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>baseline</title></head><body><main id="root"></main><script type="module" src="./main.js"></script></body></html>',
  );
  writeFileSync(
    join(src, 'main.js'),
    "const root = document.getElementById('root');\nroot.innerHTML = '<h1>Baseline</h1><button type=\"button\">Go</button>';\n",
  );
  writeFileSync(
    join(src, 'vite.config.mjs'),
    "export default { base: './', build: { target: 'es2022' } };\n",
  );
  const out = join(dir, 'dist');
  viteBuild(src, out);
  return out;
}

/** Gzip bytes (level 9) of the scripts index.html loads at once: module entry and modulepreloads. */
function initialJs(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const urls = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((m) => m[1]);
  let raw = 0;
  let gz = 0;
  for (const url of new Set(urls)) {
    const bytes = readFileSync(join(dist, url));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: new Set(urls).size, raw, gz };
}

async function serve(root) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path.slice(1)));
    try {
      if (!file.startsWith(root) || !statSync(file).isFile()) throw new Error('no');
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/**
 * Milliseconds from navigation start until the main heading is visible and a button or link in the
 * main area is enabled, over LOADS cold loads (fresh context each: no HTTP or service worker cache).
 */
async function interactiveMs(browser, url) {
  const times = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    const ms = await page.waitForFunction(
      () => {
        const h1 = document.querySelector('main h1');
        const control = document.querySelector('main button:not([disabled]), main a[href]');
        return h1 && h1.getBoundingClientRect().height > 0 && control ? performance.now() : false;
      },
      null,
      { polling: 'raf', timeout: 30_000 },
    );
    times.push(await ms.jsonValue());
    await context.close();
  }
  return median(times);
}

/**
 * Milliseconds from pressing Run on the A/B test's page (the scripted demo, the page's default) to
 * its first cell starting, in a fresh context. Warm: after the form says the pre-started sandbox is
 * ready. Cold: pre-starting off in Settings, Run pressed once the form is there. The page's own
 * clock on both ends: the click and the mark run-trial.ts sets as the first cell starts.
 */
async function firstCellMs(browser, url, warm) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    await context.addInitScript(
      ([key, prestart]) =>
        localStorage.setItem(
          key,
          JSON.stringify({
            pyodideIndexUrl: 'https://cdn.jsdelivr.net/pyodide/v314.0.7/full/',
            webllmModelBase: '',
            stdlibOnly: false,
            prestartSandbox: prestart,
          }),
        ),
      [SETTINGS_KEY, warm],
    );
    const page = await context.newPage();
    await page.goto(`${url}#/benchmarks/ab-test-analysis`);
    const run = page.getByRole('button', { name: 'Run', exact: true });
    await run.waitFor();
    if (warm) {
      await page
        .locator('[data-testid="sandbox-prestart"][data-state="ready"]')
        .waitFor({ timeout: 120_000 });
    } else if ((await page.getByTestId('sandbox-prestart').count()) > 0) {
      throw new Error('pre-starting is off, yet the form shows a pre-started sandbox');
    }
    const clickedAt = await run.evaluate((button) => {
      const at = performance.now();
      button.click();
      return at;
    });
    const started = await page.waitForFunction(
      (mark) => performance.getEntriesByName(mark)[0]?.startTime ?? false,
      FIRST_CELL_MARK,
      { timeout: 120_000 },
    );
    return (await started.jsonValue()) - clickedAt;
  } finally {
    await context.close();
  }
}

export const firstCellBench = {
  title:
    'First cell after Run in the page: sandbox pre-started on the benchmark page vs started at Run',
  async run() {
    const dist = join(ROOT, 'apps/web/dist');
    if (!statSync(join(dist, 'index.html'), { throwIfNoEntry: false })?.isFile()) {
      throw new Error(`${dist} has no build: run \`npm run build\` first`);
    }
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--no-first-run'],
    });
    const site = await serve(dist);
    try {
      const cold = [];
      const warm = [];
      for (let i = 0; i < FIRST_CELL_RUNS; i++) {
        cold.push(await firstCellMs(browser, site.url, false));
        warm.push(await firstCellMs(browser, site.url, true));
      }
      const ms = (values) => values.map((v) => v.toFixed(0)).join(', ');
      const coldMs = median(cold);
      const warmMs = median(warm);
      return [
        `Run to first cell (median of ${FIRST_CELL_RUNS}, scripted demo, headless Chromium, loopback): cold ${coldMs.toFixed(0)} ms (${ms(cold)}); warm ${warmMs.toFixed(0)} ms (${ms(warm)})`,
        `ratio cold / warm ${(coldMs / warmMs).toFixed(1)}x; target warm <= 1000 ms: ${warmMs <= 1000 ? 'met' : 'NOT met'}`,
      ];
    } finally {
      await browser.close();
      await site.close();
    }
  },
};

export const pageBench = {
  title: 'Workbench page first load (vs an empty Vite page)',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'localds-page-bench-'));
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--no-first-run'],
    });
    const servers = [];
    try {
      const app = join(dir, 'app');
      viteBuild(join(ROOT, 'apps/web'), app);
      const baseline = buildBaseline(join(dir, 'baseline'));
      const sizes = { app: initialJs(app), baseline: initialJs(baseline) };
      const [appSite, baseSite] = await Promise.all([serve(app), serve(baseline)]);
      servers.push(appSite, baseSite);
      const timeBase = await interactiveMs(browser, baseSite.url);
      const timeApp = await interactiveMs(browser, appSite.url);
      const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
      return [
        `initial JS, gzip -9: workbench ${kb(sizes.app.gz)} (${sizes.app.files} files, ${kb(sizes.app.raw)} raw); empty Vite page ${kb(sizes.baseline.gz)}`,
        `interactive (median of ${LOADS} cold loads, loopback): workbench ${timeApp.toFixed(0)} ms; empty Vite page ${timeBase.toFixed(0)} ms`,
        `ratio workbench / empty page: size ${(sizes.app.gz / sizes.baseline.gz).toFixed(1)}x, time ${(timeApp / timeBase).toFixed(2)}x`,
      ];
    } finally {
      await browser.close();
      await Promise.all(servers.map((s) => s.close()));
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
