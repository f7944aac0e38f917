// Cells that take the Node sandbox's kernel down: each must end as a recorded error, and the sandbox must
// come back with a clean kernel for the next cell. One sandbox, which respawns its own child each time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jspiBuiltIn } from '../src/sandbox/pyodide-child/jspi.js';
import { NodePyodideSandbox } from '../src/sandbox/pyodide-child/pyodide-child-sandbox.js';
import { errors, resultText, SLOW } from './sandbox-helpers.js';

/** Filling the heap to its cap takes about a second idle: room for a busy machine (3 s is for loops). */
const MEMORY_FILL = { timeoutMs: 30_000 };

let sandbox: NodePyodideSandbox;

beforeAll(async () => {
  sandbox = new NodePyodideSandbox({
    timeoutMs: 3000,
    memoryLimitMB: 384,
    jsHeapMb: 256,
    // exercises the swap-in path: every recovery below takes the spare child
    spareKernel: true,
  });
  await sandbox.ready;
}, SLOW);

afterAll(async () => {
  await sandbox?.dispose();
});

/** The kernel answers again, and nothing from before the restart survived. */
async function expectCleanKernel(): Promise<void> {
  const result = await sandbox.run('"before" in globals(), 6 * 7');
  expect(result.status).toBe('ok');
  expect(resultText(result)).toBe('(False, 42)');
}

describe('node sandbox: recovery', () => {
  it(
    'an infinite loop times out, the child is replaced, and the model is told its state is gone',
    async () => {
      const result = await sandbox.run('before = 1\nprint("started")\nwhile True:\n    pass');
      expect(result.status).toBe('timeout');
      expect(result.stateLost).toBe(true);
      expect(errors(result)[0]?.ename).toBe('TimeoutError');
      expect(errors(result)[0]?.evalue).toMatch(/longer than 3000 ms.*state was lost/);
      await expectCleanKernel();
    },
    SLOW,
  );

  it(
    'an AbortSignal interrupts a running cell the same way',
    async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const result = await sandbox.run('before = 1\nwhile True:\n    pass', {
        signal: controller.signal,
        timeoutMs: 60_000,
      });
      expect(result.status).toBe('interrupted');
      expect(result.stateLost).toBe(true);
      await expectCleanKernel();
    },
    SLOW,
  );

  it(
    'a cell aborted before it starts does not touch the kernel',
    async () => {
      await sandbox.run('before = 1');
      const result = await sandbox.run('before = 2', { signal: AbortSignal.abort() });
      expect(result).toMatchObject({ status: 'interrupted', stateLost: false });
      expect(resultText(await sandbox.run('before'))).toBe('1');
    },
    SLOW,
  );

  it(
    'an impossible allocation is a recorded error',
    async () => {
      const result = await sandbox.run('before = 1\nblob = bytearray(10**10)');
      expect(result.status).toBe('error');
      // 10**10 does not even fit wasm32's size type; either way the model sees why.
      expect(errors(result)[0]?.ename).toMatch(/^(MemoryError|OverflowError)$/);
      const next = await sandbox.run('6 * 7');
      expect(resultText(next)).toBe('42');
    },
    SLOW,
  );

  it(
    'a cell that catches its own MemoryError keeps its kernel and state',
    async () => {
      const result = await sandbox.run(
        'before = 1\ntry:\n    hoard = []\n    while True:\n        hoard.append(bytearray(10**7))\n' +
          'except MemoryError:\n    del hoard\n"recovered"',
        MEMORY_FILL,
      );
      expect(result.status).toBe('ok');
      expect(result.stateLost).toBe(false);
      expect(resultText(result)).toBe("'recovered'");
      expect(resultText(await sandbox.run('before'))).toBe('1');
    },
    SLOW,
  );

  it(
    'a growing list stops at the wasm memory cap with MemoryError, then the kernel is replaced',
    async () => {
      const result = await sandbox.run(
        'before = 1\nhoard = []\nwhile True:\n    hoard.append(bytearray(10**7))',
        MEMORY_FILL,
      );
      expect(result.status).toBe('error');
      expect(result.stateLost).toBe(true);
      expect(errors(result).map((e) => e.ename)).toEqual(['MemoryError', 'KernelRestarted']);
      expect(errors(result)[1]?.evalue).toMatch(/memory limit.*state was lost/);
      await expectCleanKernel();
    },
    SLOW,
  );

  it(
    'exhausting the JS heap through js.Array kills only the child, which is replaced',
    async () => {
      const result = await sandbox.run(
        'before = 1\nimport js\nheap = js.Array.new()\nwhile True:\n    heap.push(js.Array.new(10**6).fill(0))',
        { timeoutMs: 60_000 },
      );
      expect(result.status).toBe('crashed');
      expect(result.stateLost).toBe(true);
      expect(errors(result)[0]?.ename).toBe('KernelCrashed');
      await expectCleanKernel();
    },
    SLOW,
  );

  it(
    'restart() gives a clean interpreter and keeps the files',
    async () => {
      await sandbox.run('before = 1\nopen("kept.txt", "w").write("kept")');
      await sandbox.restart();
      await expectCleanKernel();
      expect((await sandbox.listFiles()).map((f) => f.name)).toContain('kept.txt');
    },
    SLOW,
  );
});

describe('node sandbox: start-up', () => {
  it('without packages a child gets no JSPI (nothing in the standard library needs it), and says so', async () => {
    // Node 24+ has JSPI built in; before that it is a V8 flag this child was not given.
    const expected = jspiBuiltIn();
    const result = await sandbox.run('from pyodide.ffi import can_run_sync\ncan_run_sync()');
    expect(resultText(result)).toBe(expected ? 'True' : 'False');
    expect(sandbox.isolationReport().jspi).toBe(expected);
  });

  it(
    'a package that cannot be loaded fails `ready` with a message naming it',
    async () => {
      const broken = new NodePyodideSandbox({ packages: ['numpy'] });
      try {
        await expect(broken.ready).rejects.toThrow(/could not load Pyodide packages numpy/);
      } finally {
        await broken.dispose();
      }
    },
    SLOW,
  );
});
