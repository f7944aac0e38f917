// The walls themselves, without Pyodide or guards: a plain script started exactly like the sandbox child
// (same node flags, same namespace wrapper) tries the routes out directly.
import { execFile } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxNodeFlags } from '../src/sandbox/pyodide-child/child-transport.js';
import { wrapChild } from '../src/sandbox/pyodide-child/walls.js';
import { countingServer, SLOW } from './sandbox-helpers.js';

const runDir = realpathSync(mkdtempSync(join(tmpdir(), 'localds-walls-')));
afterAll(() => rmSync(runDir, { recursive: true, force: true }));

const PROBE = String.raw`
const [port, parentPid, outside] = process.argv.slice(2);
const out = {};
const attempt = (name, fn) => {
  try { fn(); out[name] = 'ALLOWED'; } catch (e) { out[name] = e.code || e.message; }
};
attempt('childProcess', () => require('child_process').execSync('true'));
attempt('readPasswd', () => require('fs').readFileSync('/etc/passwd'));
attempt('writeOutside', () => require('fs').writeFileSync(outside, 'x'));
attempt('writeRunDir', () => require('fs').writeFileSync(__dirname + '/inside.txt', 'x'));
attempt('worker', () => new (require('worker_threads').Worker)('0', { eval: true }));
attempt('signalParent', () => process.kill(Number(parentPid), 0));
attempt('envKeys', () => { if (Object.keys(process.env).some((k) => !k.startsWith('NODE_'))) throw new Error('ENV_LEAK'); });
const socket = require('net').connect(Number(port), '127.0.0.1');
const done = (how) => { out.connect = how; console.log(JSON.stringify(out)); process.exit(0); };
socket.on('connect', () => done('CONNECTED'));
socket.on('error', (e) => done(e.code));
`;

describe('node sandbox walls', () => {
  it(
    'deny child processes, workers, host files, the parent and the host network',
    async () => {
      const server = await countingServer();
      const script = join(runDir, 'probe.cjs');
      writeFileSync(script, PROBE);
      const outside = join(tmpdir(), `localds-walls-outside-${process.pid}.txt`);
      const cmd = wrapChild(
        [
          ...sandboxNodeFlags({ readDirs: [], runDir, jsHeapMb: 128, jspi: true }),
          script,
          new URL(server.url).port,
          String(process.pid),
          outside,
        ],
        { osMemoryBytes: 2 * 1024 ** 3, networkIsolation: 'auto' },
      );
      try {
        const { stdout } = await promisify(execFile)(cmd.command, cmd.args, {
          env: {},
          timeout: 30_000,
        });
        const result = JSON.parse(stdout) as Record<string, string>;
        expect(result).toMatchObject({
          childProcess: 'ERR_ACCESS_DENIED',
          readPasswd: 'ERR_ACCESS_DENIED',
          writeOutside: 'ERR_ACCESS_DENIED',
          writeRunDir: 'ALLOWED',
          worker: 'ERR_ACCESS_DENIED',
          envKeys: 'ALLOWED',
        });
        // Where the machine gives no namespaces these document the missing walls instead.
        expect(result.signalParent).toBe(cmd.walls.pidNamespace ? 'ESRCH' : 'ALLOWED');
        if (cmd.walls.network === 'none') {
          expect(result.connect).toBe('CONNECTED');
        } else {
          expect(result.connect).not.toBe('CONNECTED');
          expect(server.hits()).toBe(0);
        }
      } finally {
        await server.close();
      }
    },
    SLOW,
  );
});
