// Test page: creates browser sandboxes on request and exposes them on `window.localdsTest`, so the
// vitest suite (driving Chromium through playwright-core) can run cells and read results.
import { AB_TEST_TABLE } from '@localds/benchmarks';
import { generateDataset } from '@localds/benchmarks';
import type { CellResult } from '../../src/sandbox/types.js';
import {
  createBrowserSandbox,
  type BrowserSandboxOptions,
  type BrowserWorkerSandbox,
} from '../../src/sandbox/browser/index.js';
import {
  DATA_KEY,
  DATA_PROJECT,
  DATA_SEED,
  type Outcome,
  type PageOptions,
  type TestApi,
} from './page-api.js';

const rows = generateDataset('canonical', DATA_SEED);

/** The run's data endpoint as runBenchmark would describe it; in live mode the snapshot is short. */
function dataSpec(opts: PageOptions): NonNullable<BrowserSandboxOptions['data']> {
  if (!opts.live) return { project: DATA_PROJECT, table: AB_TEST_TABLE, apiKey: DATA_KEY, rows };
  return {
    project: opts.live.project,
    table: AB_TEST_TABLE,
    apiKey: DATA_KEY,
    rows: rows.slice(0, rows.length - opts.live.dropRows),
    liveKey: opts.live.liveKey,
  };
}

// lib has no DOM types; the page's own URL is all that is needed from `location`.
const pageUrl = (globalThis as unknown as { location: { href: string } }).location.href;

const sandboxes = new Map<string, BrowserWorkerSandbox>();
const progress: Record<string, string[]> = {};

async function outcome(call: () => Promise<void>): Promise<Outcome> {
  try {
    await call();
    return { ok: true };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** The worker's control API behind a sandbox's current kernel (protected: reached for tests only). */
function workerApi(sandbox: BrowserWorkerSandbox) {
  return (sandbox as unknown as { kernel: { api: { connectData(spec: unknown): Promise<void> } } })
    .kernel.api;
}

function get(name: string): BrowserWorkerSandbox {
  const sandbox = sandboxes.get(name);
  if (!sandbox) throw new Error(`no sandbox named ${name}`);
  return sandbox;
}

const api: TestApi = {
  async create(name: string, { live, withoutData, ...opts }: PageOptions) {
    progress[name] = [];
    const options: BrowserSandboxOptions = {
      pyodideIndexUrl: new URL('/pyodide/', pageUrl).href,
      ...(withoutData ? {} : { data: dataSpec({ live }) }),
      onProgress: ({ stage }) => progress[name]?.push(stage),
      ...opts,
    };
    const sandbox = createBrowserSandbox(options);
    sandboxes.set(name, sandbox);
    try {
      await sandbox.ready;
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
    return {
      bootMs: sandbox.bootTimesMs[0] ?? -1,
      interruptMode: sandbox.interruptMode,
      stages: progress[name] ?? [],
    };
  },
  run: (name: string, code: string, timeoutMs?: number): Promise<CellResult> =>
    get(name).run(code, timeoutMs ? { timeoutMs } : {}),
  audit: (name: string) => get(name).audit(),
  listFiles: (name: string) => get(name).listFiles(),
  async readText(name: string, file: string) {
    return new TextDecoder().decode(await get(name).readFile(file));
  },
  writeText: (name: string, file: string, text: string) =>
    get(name).writeFile(file, new TextEncoder().encode(text)),
  restart: (name: string) => get(name).restart(),
  bootTimes: (name: string) => [...get(name).bootTimesMs],
  async dispose(name: string) {
    await get(name).dispose();
    sandboxes.delete(name);
  },
  connectData: (name: string) => outcome(() => get(name).connectData(dataSpec({}))),
  connectWorkerData: (name: string) =>
    outcome(() => workerApi(get(name)).connectData(dataSpec({}))),
};

(globalThis as unknown as { localdsTest: TestApi }).localdsTest = api;
