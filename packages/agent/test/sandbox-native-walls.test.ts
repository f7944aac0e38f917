// Escapes and floods against the native level under bubblewrap: each must end in a recorded error, reach
// nothing on the host, and leave the sandbox healthy for the next cell.
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { truncationMarker } from '../src/sandbox/kernel/outputs.js';
import { handlerNetwork } from '../src/sandbox/network/network.js';
import { createNativeSandbox, type NativeSandbox } from '../src/sandbox/native/native-sandbox.js';
import {
  countingServer,
  errors,
  resultText,
  SLOW,
  streamText,
  type CountingServer,
} from './sandbox-helpers.js';

const PYTHON = '/usr/bin/python3';
const OUTPUT_LIMIT = 64 * 1024;
const MAX_PROCESSES = 48;

/** Host processes whose working directory is the run dir: the kernel and anything it started. */
function processesIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === dir;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('native sandbox walls (bwrap)', () => {
  let sandbox: NativeSandbox;
  let server: CountingServer;
  /** processes of an idle kernel (bwrap's init in the pid namespace and the interpreter) */
  let idle: number;

  beforeAll(async () => {
    server = await countingServer();
    sandbox = await createNativeSandbox({
      pythonBin: PYTHON,
      isolation: 'bwrap',
      network: handlerNetwork(['http://data.localds.test/'], undefined),
      maxOutputBytes: OUTPUT_LIMIT,
      memoryLimitMB: 1024,
      maxProcesses: MAX_PROCESSES,
      tmpSizeMB: 16,
      timeoutMs: 3000,
      interruptGraceMs: 1500,
    });
    await sandbox.ready;
    idle = processesIn(sandbox.runDir).length;
  }, SLOW);
  afterAll(async () => {
    await sandbox.dispose();
    await server.close();
  });

  it('has no network: a raw socket, curl and os.system reach nothing on the host', async () => {
    const port = new URL(server.url).port;
    const r = await sandbox.run(
      'import socket, subprocess, os\n' +
        `try:\n    socket.create_connection(("127.0.0.1", ${port}), timeout=5)\n    sock = "CONNECTED"\n` +
        'except OSError as e:\n    sock = type(e).__name__\n' +
        `curl = subprocess.run(["curl", "-sS", "-m", "5", "${server.url}/"], capture_output=True).returncode\n` +
        `shell = os.system("wget -q -T 5 -O- ${server.url}/ > /dev/null 2>&1")\n` +
        '(sock, curl != 0, shell != 0)',
    );
    expect(resultText(r)).toBe("('ConnectionRefusedError', True, True)");
    expect(server.hits()).toBe(0);
  });

  it('cannot write outside the run directory', async () => {
    const r = await sandbox.run(
      'import errno\ndef attempt(path):\n    try:\n        open(path, "w").write("x")\n        return "WROTE"\n' +
        '    except OSError as e:\n        return errno.errorcode[e.errno]\n' +
        '[attempt(p) for p in ("/etc/x", "/usr/x", "/root/x", "/x", "../x")]',
    );
    // A run dir under the host's /tmp has the sandbox's private tmpfs as its parent: writable, thrown away.
    const parent = sandbox.runDir.startsWith('/tmp/') ? 'WROTE' : 'EROFS';
    expect(resultText(r)).toBe(`['EROFS', 'EROFS', 'ENOENT', 'EROFS', '${parent}']`);
    for (const path of ['/etc/x', '/usr/x', '/root/x', '/x', join(sandbox.runDir, '..', 'x')]) {
      expect(existsSync(path)).toBe(false);
    }
  });

  it('caps the private /tmp (a tmpfs in host memory) at its size', async () => {
    const r = await sandbox.run(
      'import errno, os\ntry:\n    with open("/tmp/fill", "wb") as f:\n        f.write(b"x" * (32 * 2**20))\n' +
        '    outcome = "WROTE"\nexcept OSError as e:\n    outcome = errno.errorcode[e.errno]\nos.remove("/tmp/fill")\noutcome',
    );
    expect(resultText(r)).toBe("'ENOSPC'");
  });

  it('sees only the system and the run directory: no home, no repository, no host processes or env', async () => {
    const repo = realpathSync(join(import.meta.dirname, '..'));
    const r = await sandbox.run(
      'import json, os\n' +
        'try:\n' +
        `    os.kill(${process.pid}, 0)\n    parent = "visible"\n` +
        'except ProcessLookupError:\n    parent = "no such process"\n' +
        'print(json.dumps([sorted(os.listdir("/")), ' +
        `[os.path.exists(p) for p in ("/root", "/home", ${JSON.stringify(repo)})], ` +
        'parent, os.getuid(), sorted(os.environ)]))',
    );
    const mounted = ['dev', 'etc', 'proc', 'tmp', 'usr'];
    const links = ['bin', 'lib', 'lib32', 'lib64', 'libx32', 'sbin'].filter((n) =>
      existsSync(`/${n}`),
    );
    expect(JSON.parse(streamText(r))).toEqual([
      [...mounted, ...links].sort(),
      [false, false, false],
      'no such process',
      sandbox.walls.uid,
      [
        'HOME',
        'LANG',
        'MPLBACKEND',
        'MPLCONFIGDIR',
        'PATH',
        'PWD',
        'PYTHONDONTWRITEBYTECODE',
        'TMPDIR',
      ],
    ]);
  });

  it('interrupts an endless loop at the time limit and keeps the state', async () => {
    await sandbox.run('kept = 42');
    const r = await sandbox.run('while True:\n    pass');
    expect(r.status).toBe('timeout');
    expect(r.stateLost).toBe(false);
    expect(errors(r).map((e) => e.ename)).toEqual(['KeyboardInterrupt']);
    // The traceback points at the model's loop, not at the harness.
    const frames = errors(r)[0]?.traceback.filter((line) => line.includes('File '));
    expect(frames).toEqual([
      expect.stringMatching(/^ {2}File "<cell-\d+>", line [12], in <module>/),
    ]);
    expect(resultText(await sandbox.run('kept'))).toBe('42');
  });

  it('an AbortSignal interrupts a waiting cell the same way, keeping the state', async () => {
    const abort = new AbortController();
    const pending = sandbox.run('import time\ntime.sleep(30)', {
      signal: abort.signal,
      timeoutMs: 60_000,
    });
    setTimeout(() => abort.abort(), 500);
    const r = await pending;
    expect([r.status, r.stateLost]).toEqual(['interrupted', false]);
    expect(r.durationMs).toBeLessThan(10_000);
    expect(resultText(await sandbox.run('kept'))).toBe('42');
  });

  it('reports a kernel that kills itself as crashed and starts a fresh one', async () => {
    const r = await sandbox.run('import os\nos._exit(3)');
    expect([r.status, r.stateLost]).toEqual(['crashed', true]);
    expect(errors(r)[0]?.evalue).toMatch(/^the Python process died \(exit code 3\)/);
    expect(resultText(await sandbox.run('"kept" in dir()'))).toBe('False');
  });

  it(
    'kills a loop that ignores SIGINT after the grace period and comes back healthy',
    async () => {
      await sandbox.run('kept = 42');
      const r = await sandbox.run(
        'import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nprint("looping")\nwhile True:\n    pass',
      );
      expect(r.status).toBe('timeout');
      expect(r.stateLost).toBe(true);
      expect(errors(r)[0]?.ename).toBe('TimeoutError');
      expect(streamText(r)).toBe('looping\n'); // printed before the kill, kept
      const after = await sandbox.run('"kept" in dir(), 1 + 1');
      expect(resultText(after)).toBe('(False, 2)');
    },
    SLOW,
  );

  it(
    'truncates 200 MB of output from print and from a subprocess, without holding it',
    async () => {
      const rssBefore = process.memoryUsage().rss;
      const r = await sandbox.run(
        'import os\nline = "x" * 99\nfor _ in range(1_000_000):\n    print(line)\n' +
          'os.system("head -c 100000000 /dev/zero | tr \'\\\\0\' y")\n"done"',
        { timeoutMs: 60_000 },
      );
      expect(r.status).toBe('ok');
      expect(resultText(r)).toBe("'done'");
      const out = streamText(r);
      // Each channel (Python's sys.stdout, the raw fd) keeps at most the limit; the marker counts the rest.
      const dropped = Number(/… \[truncated (\d+) bytes\]\n$/.exec(out)?.[1]);
      const kept = out.length - truncationMarker(dropped).length;
      expect(kept).toBeLessThanOrEqual(2 * OUTPUT_LIMIT);
      expect(kept + dropped).toBe(200_000_000);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * 1024 * 1024);
    },
    SLOW,
  );

  it(
    'turns a memory bomb into MemoryError; one that keeps its memory restarts the kernel',
    async () => {
      const small = await sandbox.run('bytearray(10**10)');
      expect(small.status).toBe('error');
      expect(errors(small).map((e) => e.ename)).toEqual(['MemoryError']);
      expect(small.stateLost).toBe(false);

      // Filling 1 GiB takes about a second on an idle machine: room for a busy one (the file's 3 s is
      // for the loops that must time out).
      const hoard = await sandbox.run(
        'hoard = []\nwhile True:\n    hoard.append(bytearray(10**7))',
        { timeoutMs: 30_000 },
      );
      expect(errors(hoard).map((e) => e.ename)).toEqual(['MemoryError', 'KernelRestarted']);
      expect(hoard.stateLost).toBe(true);
      expect(resultText(await sandbox.run('"hoard" in dir(), 2 + 2'))).toBe('(False, 4)');
    },
    SLOW,
  );

  it(
    'stops a fork bomb at the process limit',
    async () => {
      const r = await sandbox.run(
        'import os, time\nn = 0\ntry:\n    while n < 1000:\n        if os.fork() == 0:\n' +
          '            time.sleep(60)\n            os._exit(0)\n        n += 1\nexcept OSError as e:\n' +
          '    stopped = (n, e.errno)\nstopped',
      );
      const [forks, errno] = JSON.parse(
        (resultText(r) ?? '').replace('(', '[').replace(')', ']'),
      ) as [number, number];
      expect(errno).toBe(11); // EAGAIN
      expect(forks).toBeLessThan(MAX_PROCESSES);
      expect(processesIn(sandbox.runDir)).toHaveLength(idle + forks);
      await sandbox.restart();
      // The old kernel's pid namespace went with it: none of the sleeping children survive.
      expect(processesIn(sandbox.runDir)).toHaveLength(idle);
    },
    SLOW,
  );
});

describe('native sandbox with an interpreter only the harness user can reach', () => {
  it(
    'still runs under bwrap; as root it keeps root (no capabilities) instead of dropping to nobody',
    async () => {
      const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'localds-native-private-')));
      try {
        // mkdtemp folders are 0700: a wrapper inside is invisible to uid 65534.
        const wrapper = join(scratch, 'python');
        writeFileSync(wrapper, `#!/bin/sh\nexec ${PYTHON} "$@"\n`);
        chmodSync(wrapper, 0o755);
        const sandbox = await createNativeSandbox({ pythonBin: wrapper, isolation: 'bwrap' });
        try {
          const root = process.getuid?.() === 0;
          expect(sandbox.walls).toMatchObject({
            bwrap: true,
            uid: root ? 0 : process.getuid?.(),
            forkGuard: !root,
          });
          const r = await sandbox.run(
            'import os\nopen("ok.txt", "w").write("x")\n(os.getuid(), open("/proc/self/status").read().split("CapEff:")[1].split()[0])',
          );
          expect(resultText(r)).toBe(`(${sandbox.walls.uid}, '0000000000000000')`);
          expect(r.filesWritten.map((f) => f.name)).toEqual(['ok.txt']);
        } finally {
          await sandbox.dispose();
        }
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});

describe('native sandbox lifecycle', () => {
  it(
    'gives every run a clean interpreter and /tmp, and dispose leaves no process behind',
    async () => {
      const first = await createNativeSandbox({ pythonBin: PYTHON, isolation: 'bwrap' });
      await first.ready;
      const dir = first.runDir;
      const idle = processesIn(dir).length;
      await first.run(
        'import subprocess\nopen("/tmp/left-behind", "w").write("x")\nsecret = 1\n' +
          'child = subprocess.Popen(["sleep", "300"])',
      );
      expect(processesIn(dir)).toHaveLength(idle + 1);
      await first.dispose();
      expect(processesIn(dir)).toEqual([]);
      expect(existsSync(dir)).toBe(false);

      const second = await createNativeSandbox({ pythonBin: PYTHON, isolation: 'bwrap' });
      try {
        const r = await second.run(
          'import os\n("left-behind" in os.listdir("/tmp"), "secret" in dir())',
        );
        expect(resultText(r)).toBe('(False, False)');
      } finally {
        await second.dispose();
      }
    },
    SLOW,
  );
});
