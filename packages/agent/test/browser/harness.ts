// Node side of the browser tests: builds the test page with Vite, serves it (and Pyodide's core files)
// from 127.0.0.1, with or without the COOP/COEP headers that make the page cross-origin isolated, and
// drives it in Debian's Chromium through playwright-core.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import type { CellResult } from '../../src/sandbox/types.js';
import type { CreateResult, PageOptions, TestApi } from './page-api.js';

const here = dirname(fileURLToPath(import.meta.url));
const pyodideDir = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.map': 'application/json',
};

/** Builds the test page (and the sandbox worker it starts) into a fresh folder. */
export async function buildTestPage(): Promise<{ outDir: string; cleanup: () => void }> {
  const outDir = mkdtempSync(join(tmpdir(), 'localds-browser-page-'));
  await build({
    root: here,
    configFile: false,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022', minify: false },
    worker: { format: 'es' },
  });
  return { outDir, cleanup: () => rmSync(outDir, { recursive: true, force: true }) };
}

export interface StaticServer {
  origin: string;
  close: () => Promise<void>;
}

/**
 * Serves the built page at /, Pyodide's core at /pyodide/ and each of `folders` at /<name>/;
 * `isolated` adds COOP/COEP; `workerCsp` is sent with the sandbox worker's script.
 */
export async function serveTestPage(
  outDir: string,
  isolated: boolean,
  folders: Record<string, string> = {},
  workerCsp?: (origin: string) => string,
): Promise<StaticServer> {
  let origin = '';
  const mounts: [string, string][] = [
    ...Object.entries(folders).map(([name, dir]): [string, string] => [`/${name}/`, dir]),
    ['/pyodide/', pyodideDir],
  ];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const mount = mounts.find(([prefix]) => path.startsWith(prefix));
      const [root, rel] = mount
        ? [mount[1], path.slice(mount[0].length)]
        : [outDir, path === '/' ? 'index.html' : path.slice(1)];
      const file = normalize(join(root, rel));
      const headers: Record<string, string> = { 'cache-control': 'no-store' };
      if (isolated) {
        headers['cross-origin-opener-policy'] = 'same-origin';
        headers['cross-origin-embedder-policy'] = 'require-corp';
      }
      if (!file.startsWith(root + sep) || !(await stat(file).catch(() => undefined))?.isFile()) {
        res.writeHead(404, headers).end('not found');
        return;
      }
      headers['content-type'] = MIME[extname(file)] ?? 'application/octet-stream';
      // A worker's CSP comes from its own script's response, not from the page.
      if (workerCsp && /sandbox\.worker[^/]*\.js$/.test(file)) {
        headers['content-security-policy'] = workerCsp(origin);
      }
      res.writeHead(200, headers).end(await readFile(file));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Debian's headless Chromium, quiet on the network; `extraArgs` add flags (e.g. WebGPU's). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

/** Typed calls into the page's `window.localdsTest`. */
export class PageDriver {
  constructor(readonly page: Page) {}

  static async open(browser: Browser, origin: string): Promise<PageDriver> {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'localdsTest' in globalThis);
    return new PageDriver(page);
  }

  create(name: string, opts: PageOptions = {}): Promise<CreateResult> {
    return this.page.evaluate(
      ([n, o]) => (globalThis as unknown as PageWindow).localdsTest.create(n, o),
      [name, opts] as const,
    );
  }

  run(name: string, code: string, timeoutMs?: number): Promise<CellResult> {
    return this.page.evaluate(
      ([n, c, t]) => (globalThis as unknown as PageWindow).localdsTest.run(n, c, t),
      [name, code, timeoutMs] as const,
    );
  }

  audit(name: string) {
    return this.page.evaluate(
      (n) => (globalThis as unknown as PageWindow).localdsTest.audit(n),
      name,
    );
  }

  listFiles(name: string) {
    return this.page.evaluate(
      (n) => (globalThis as unknown as PageWindow).localdsTest.listFiles(n),
      name,
    );
  }

  readText(name: string, file: string) {
    return this.page.evaluate(
      ([n, f]) => (globalThis as unknown as PageWindow).localdsTest.readText(n, f),
      [name, file] as const,
    );
  }

  writeText(name: string, file: string, text: string) {
    return this.page.evaluate(
      ([n, f, t]) => (globalThis as unknown as PageWindow).localdsTest.writeText(n, f, t),
      [name, file, text] as const,
    );
  }

  restart(name: string) {
    return this.page.evaluate(
      (n) => (globalThis as unknown as PageWindow).localdsTest.restart(n),
      name,
    );
  }

  dispose(name: string) {
    return this.page.evaluate(
      (n) => (globalThis as unknown as PageWindow).localdsTest.dispose(n),
      name,
    );
  }

  connectData(name: string) {
    return this.page.evaluate(
      (n) => (globalThis as unknown as PageWindow).localdsTest.connectData(n),
      name,
    );
  }

  connectWorkerData(name: string) {
    return this.page.evaluate(
      (n) => (globalThis as unknown as PageWindow).localdsTest.connectWorkerData(n),
      name,
    );
  }
}

/** Only a type: evaluate() callbacks run in the page, where nothing from this module exists. */
interface PageWindow {
  localdsTest: TestApi;
}
