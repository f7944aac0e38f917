// After the guards are installed, walk everything model code can reach from `import js` (globalThis) and
// `import pyodide_js` (the Pyodide API), following properties, getters and prototypes, and check that no
// path leads to the real process object or to a module that spawns, connects or loads code.
// (fs stays reachable through Pyodide's own streams; Node's permission model is what limits it.)
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { SLOW } from './sandbox-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'localds-guards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pyodideMjs = pathToFileURL(
  join(dirname(createRequire(import.meta.url).resolve('pyodide/package.json')), 'pyodide.mjs'),
).href;
const guardsJs = new URL('../dist/sandbox/pyodide-child/guards.js', import.meta.url).href;

const WALK = String.raw`
import realProcess from 'node:process';
import cp from 'node:child_process';
import net from 'node:net';
import tls from 'node:tls';
import http from 'node:http';
import workers from 'node:worker_threads';
import vm from 'node:vm';
import nodeModule from 'node:module';
import inspector from 'node:inspector';
// Some getters answer with a rejected promise; they are not findings.
realProcess.on('unhandledRejection', () => undefined);
const { loadPyodide } = await import(process.argv[2]);
const { lockGlobals } = await import(process.argv[3]);
const pyodide = await loadPyodide();
pyodide.runPython('import pyodide.http');
lockGlobals({ realProcess, cwd: '/work', guardedFetch: async () => new Response('') });
const targets = new Map([
  [realProcess, 'process'], [cp, 'child_process'], [net, 'net'], [tls, 'tls'], [http, 'http'],
  [workers, 'worker_threads'], [vm, 'vm'], [nodeModule, 'module'], [inspector, 'inspector'],
  [nodeModule.createRequire, 'createRequire'], [cp.spawn, 'spawn'], [net.connect, 'net.connect'],
  [realProcess.binding, 'process.binding'], [realProcess.kill, 'process.kill'], [realProcess.dlopen, 'process.dlopen'],
]);
const seen = new WeakSet();
const queue = [['js', globalThis], ['pyodide_js', pyodide]];
const hits = [];
let visited = 0;
while (queue.length > 0 && visited < 200000) {
  const [path, obj] = queue.shift();
  visited += 1;
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) continue;
  let keys;
  try { keys = Reflect.ownKeys(obj); } catch { continue; }
  const next = [['__proto__', Object.getPrototypeOf(obj)]];
  for (const key of keys) {
    let d;
    try { d = Object.getOwnPropertyDescriptor(obj, key); } catch { continue; }
    if (d && 'value' in d) next.push([String(key), d.value]);
    else if (d && d.get) { try { next.push([String(key), d.get.call(obj)]); } catch {} }
  }
  for (const [key, value] of next) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) continue;
    if (targets.has(value)) hits.push(path + '.' + key + ' -> ' + targets.get(value));
    if (!seen.has(value)) { seen.add(value); queue.push([path + '.' + key, value]); }
  }
}
console.log(JSON.stringify({ visited, hits }));
realProcess.exit(0);
`;

describe('node sandbox guards', () => {
  it(
    'leave no path from js or pyodide_js to process, child_process, net, workers or module loading',
    async () => {
      const script = join(dir, 'walk.mjs');
      writeFileSync(script, WALK);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--no-warnings', script, pyodideMjs, guardsJs],
        { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      );
      const { visited, hits } = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
        visited: number;
        hits: string[];
      };
      expect(visited).toBeGreaterThan(1000); // the walk really covered the object graph
      expect(hits).toEqual([]);
    },
    SLOW,
  );
});
