// The package path of the Node sandbox: a small pure-Python wheel and a lock file built here, served by a
// local index, fetched and verified by the harness, then imported by model code in a child with no network.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBenchmark } from '@localds/benchmarks';
import { runBenchmark, type SandboxFactory } from '../src/run/index.js';
import { NodePyodideSandbox } from '../src/sandbox/pyodide-child/pyodide-child-sandbox.js';
import { ensurePackages, resolvePackages } from '../src/sandbox/pyodide/packages.js';
import { FakeModel, fence } from './helpers/fakes.js';
import { PROBE_WHEEL, resultText, SLOW, writeProbeIndex } from './sandbox-helpers.js';

const work = mkdtempSync(join(tmpdir(), 'localds-index-'));
const indexDir = join(work, 'index');
const served: string[] = [];
let server: Server;
let indexUrl: string;

beforeAll(async () => {
  mkdirSync(indexDir, { recursive: true });
  writeProbeIndex(indexDir);
  server = createServer((req, res) => {
    served.push(req.url ?? '');
    try {
      res.end(readFileSync(join(indexDir, (req.url ?? '').replace(/^\/+/, ''))));
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  indexUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

describe('pyodide packages from a self-hosted index', () => {
  it('resolves dependencies in order and names the missing one', () => {
    const lock = {
      info: { python: '3.14' },
      packages: {
        a: {
          name: 'a',
          version: '1',
          file_name: 'a.whl',
          sha256: '0'.repeat(64),
          depends: ['b_c'],
        },
        'b-c': {
          name: 'b-c',
          version: '1',
          file_name: 'b.whl',
          sha256: '0'.repeat(64),
          depends: [],
        },
        d: {
          name: 'd',
          version: '1',
          file_name: 'd.whl',
          sha256: '0'.repeat(64),
          depends: ['nope'],
        },
      },
    };
    expect(resolvePackages(lock, ['A']).map((p) => p.name)).toEqual(['b-c', 'a']);
    expect(() => resolvePackages(lock, ['d'])).toThrow(
      /"nope" \(needed by d\) is not in the index/,
    );
  });

  it(
    'fetches once, verifies, caches, and the sandbox imports it with no network',
    async () => {
      const cacheDir = join(work, 'cache');
      const first = await ensurePackages({ packages: ['localds_probe'], indexUrl, cacheDir });
      expect(first).toEqual({
        packageDir: cacheDir,
        resolved: ['localds-probe'],
        downloaded: [PROBE_WHEEL],
      });
      const again = await ensurePackages({ packages: ['localds-probe'], indexUrl, cacheDir });
      expect(again.downloaded).toEqual([]);
      expect(served.filter((url) => url.endsWith('.whl'))).toEqual([`/${PROBE_WHEEL}`]);

      const sandbox = new NodePyodideSandbox({
        packages: first.resolved,
        packageDir: first.packageDir,
      });
      try {
        await sandbox.ready;
        const result = await sandbox.run(
          'import localds_probe\nanswer = localds_probe.ANSWER\nanswer',
        );
        expect(resultText(result)).toBe('42');
      } finally {
        await sandbox.dispose();
      }
    },
    SLOW,
  );

  it(
    'a kernel that cannot be restarted (its packages are gone) ends the run as sandbox_error, unscored',
    async () => {
      const dir = join(work, 'cache-vanishing');
      const { packageDir, resolved } = await ensurePackages({
        packages: ['localds-probe'],
        indexUrl,
        cacheDir: dir,
      });
      // The first kernel starts with the packages; then they vanish, so its replacement cannot.
      const factory: SandboxFactory = async (setup) => {
        const sandbox = new NodePyodideSandbox({ ...setup, packages: resolved, packageDir });
        await sandbox.ready;
        rmSync(packageDir, { recursive: true, force: true });
        return { sandbox, loadedPackages: resolved };
      };
      const run = await runBenchmark({
        benchmark: getBenchmark('ab-test-analysis'),
        model: new FakeModel([
          { text: fence('import localds_probe\nwhile True:\n    pass') },
          { text: fence('print("next")') },
          { text: 'DONE' },
        ]),
        data: { kind: 'embedded', scenario: 'canonical' },
        sandboxFactory: factory,
        isolation: 'node-pyodide',
        budgets: { maxTurns: 5, maxTotalTokens: 1e6, wallTimeMs: 120_000, cellTimeoutMs: 1500 },
      });
      expect(run.runJson.end_reason).toBe('sandbox_error');
      expect(run.runJson.end_detail).toMatch(
        /the sandbox failed running cell 1: (Error: )?the Python kernel could not be started or restarted: /,
      );
      // The model's own cell is on record as its timeout; the failure after it is the environment's.
      expect(run.runJson.trace!.cells.map((c) => c.status)).toEqual(['timeout']);
      expect(run.runJson.environment).toEqual({ packages: 'full', loaded: ['localds-probe'] });
      expect(run.scorecard).toBeNull();
    },
    SLOW,
  );

  it('refuses a file whose checksum does not match the lock', async () => {
    writeFileSync(join(indexDir, PROBE_WHEEL), 'tampered');
    await expect(
      ensurePackages({ packages: ['localds-probe'], indexUrl, cacheDir: join(work, 'cache2') }),
    ).rejects.toThrow(/does not match the sha256/);
  });
});
