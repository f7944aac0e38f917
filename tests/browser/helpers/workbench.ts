import { execFile, execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, normalize, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

const run = promisify(execFile);

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const FIXTURES = join(REPO_ROOT, 'packages/scorer/fixtures/runs');
export const SCREENSHOTS = join(REPO_ROOT, 'tests/screenshots');
/** The app is served from here, not from the root, to prove relative asset paths work. */
export const SUB_PATH = '/sub/path/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.zip': 'application/zip',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * Production build of apps/web into a fresh folder (each test file its own, so they never collide);
 * `env` adds build-time variables (e.g. LOCALDS_BENCHMARKS, the benchmarks built in as plugins).
 */
export async function buildApp(env: Record<string, string> = {}): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'localds-web-'));
  const vite = join(REPO_ROOT, 'node_modules/vite/bin/vite.js');
  await run(
    process.execPath,
    [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
    {
      cwd: join(REPO_ROOT, 'apps/web'),
      // vitest sets NODE_ENV=test, which would make Vite build React's development bundle.
      env: { ...process.env, ...env, NODE_ENV: 'production' },
    },
  );
  return outDir;
}

/** A small static server that serves `root` under SUB_PATH on a loopback port; 404 elsewhere. */
export async function serve(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(SUB_PATH)) {
      res.writeHead(404).end('not under the sub-path');
      return;
    }
    const rel = normalize(path.slice(SUB_PATH.length) || 'index.html');
    const file = join(root, rel);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  return {
    url: `http://127.0.0.1:${address.port}${SUB_PATH}`,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

export function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

export interface Workbench {
  url: string;
  browser: Browser;
  /** One context, so its pages share IndexedDB and localStorage like the tabs of one profile. */
  context: BrowserContext;
  close: () => Promise<void>;
}

/** Build, serve and launch: one per test file. */
export async function startWorkbench(buildEnv: Record<string, string> = {}): Promise<Workbench> {
  const dist = await buildApp(buildEnv);
  const server = await serve(dist);
  const browser = await launch();
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  return {
    url: server.url,
    browser,
    context,
    close: async () => {
      await browser.close();
      await server.close();
      rmSync(dist, { recursive: true, force: true });
    },
  };
}

/**
 * The test file's workbench: started before its tests, closed after them. The object is filled in by
 * the hook, so read its fields inside tests, not at module level.
 */
export function useWorkbench(buildEnv: Record<string, string> = {}): Workbench {
  const wb = {} as Workbench;
  beforeAll(async () => {
    Object.assign(wb, await startWorkbench(buildEnv));
  }, 120_000);
  afterAll(async () => {
    // Absent when the start itself failed.
    if ('close' in wb) await wb.close();
  });
  return wb;
}

/** A fresh scratch folder for one test file, removed after its tests. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Unzips an exported run (a .zip) into a fresh folder under `into`; returns the folder holding run.json. */
export function unzipRunFolder(zip: string, into: string): string {
  const out = mkdtempSync(join(into, 'unzipped-'));
  execFileSync('python3', [
    '-c',
    'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])',
    zip,
    out,
  ]);
  const runJson = readdirSync(out, { recursive: true, encoding: 'utf8' }).find(
    (name) => basename(name) === 'run.json',
  );
  if (runJson === undefined) throw new Error('the exported zip has no run.json');
  return join(out, dirname(runJson));
}

/** Fails the test on any uncaught page error (a crash in a view should never pass silently). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export interface CheckRow {
  earned: number;
  max: number;
  pass: boolean;
  /** False for a check that could not be judged (it neither earned nor lost points). */
  judged: boolean;
  detail: string;
}

/** The scorecard as the page shows it: check id → points, pass and detail. */
export async function scorecardOnPage(page: Page): Promise<Record<string, CheckRow>> {
  await page.locator('[data-check-id]').first().waitFor();
  return page.$$eval('[data-check-id]', (rows) =>
    Object.fromEntries(
      rows.map((row) => {
        const text = (f: string) => row.querySelector(`[data-field="${f}"]`)?.textContent ?? '';
        return [
          row.getAttribute('data-check-id'),
          {
            earned: Number(text('earned')),
            max: Number(text('max')),
            pass: text('pass').includes('pass'),
            judged: !text('pass').includes('not judged'),
            detail: text('detail'),
          },
        ];
      }),
    ),
  );
}

/** What the CLI's `score` gives for a folder, in the same shape as scorecardOnPage. */
export async function scorecardFromCli(
  dir: string,
  {
    mode = 'compat',
    scenario = 'canonical',
    env = {},
  }: { mode?: 'compat' | 'full'; scenario?: string; env?: Record<string, string> } = {},
): Promise<Record<string, CheckRow>> {
  const { stdout } = await run(
    process.execPath,
    [
      join(REPO_ROOT, 'packages/cli/bin/localds.js'),
      'score',
      dir,
      '--scenario',
      scenario,
      '--mode',
      mode,
      '--format',
      'json',
    ],
    { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } },
  );
  const card = JSON.parse(stdout) as { checks: Record<string, CheckRow & { label: string }> };
  return Object.fromEntries(
    Object.entries(card.checks).map(([id, c]) => [
      id,
      { earned: c.earned, max: c.max, pass: c.pass, judged: c.judged, detail: c.detail },
    ]),
  );
}

/** The score line as the page shows it, e.g. "95 of 95 judged". */
export async function judgedOnPage(page: Page): Promise<string> {
  return page.getByTestId('score-judged').innerText();
}

/** Imports a run folder through the folder picker (webkitdirectory) and opens its result view. */
export async function importFolder(page: Page, base: string, dir: string): Promise<void> {
  await page.goto(`${base}#/import`);
  await page.getByTestId('import-folder').setInputFiles(dir);
  await page.locator('.outcomes a').first().click();
  await page.locator('[data-check-id]').first().waitFor();
}

/**
 * Sets the page's Settings through the Settings form (saved in this context's localStorage, so every
 * tab of the context runs with them): the package index URL, "Standard library only" and/or "Start
 * the Python sandbox before Run".
 */
export async function setSettings(
  page: Page,
  url: string,
  {
    indexUrl,
    stdlibOnly,
    prestart,
  }: { indexUrl?: string; stdlibOnly?: boolean; prestart?: boolean },
): Promise<void> {
  await page.goto(`${url}#/settings`);
  if (indexUrl !== undefined) await page.getByLabel('Pyodide package index URL').fill(indexUrl);
  if (stdlibOnly !== undefined)
    await page.getByLabel('Standard library only').setChecked(stdlibOnly);
  if (prestart !== undefined)
    await page.getByLabel('Start the Python sandbox before Run').setChecked(prestart);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
}

/** Console errors, failed responses (4xx/5xx) and uncaught errors of a page, as they happen. */
export function watchConsole(page: Page): { errors: string[]; failed: string[] } {
  const seen = { errors: [] as string[], failed: [] as string[] };
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(m.text());
  });
  page.on('pageerror', (e) => seen.errors.push(`uncaught: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) seen.failed.push(`${r.status()} ${r.url()}`);
  });
  return seen;
}
