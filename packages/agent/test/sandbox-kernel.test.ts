// The shared cell lifecycle (KernelSandbox) over a scripted transport: what every level inherits,
// checked without booting any Python.
import { describe, expect, it } from 'vitest';
import { KernelSandbox, type SandboxFiles } from '../src/sandbox/kernel/kernel-sandbox.js';
import { Listeners } from '../src/sandbox/kernel/listeners.js';
import type { KernelLoss } from '../src/sandbox/kernel/lost-kernel.js';
import { resolveSandboxOptions } from '../src/sandbox/kernel/options.js';
import type { KernelTransport, TransportEvent } from '../src/sandbox/kernel/transport.js';

/** A kernel that boots when told to and finishes each cell with `ok`, printing its code. */
class ScriptedTransport implements KernelTransport {
  readonly ready: Promise<number>;
  readonly ran: string[] = [];
  boot: () => void = () => undefined;
  private readonly events = new Listeners<TransportEvent>();

  constructor() {
    this.ready = new Promise((resolve) => {
      this.boot = () => resolve(1);
    });
  }

  subscribe(listener: (event: TransportEvent) => void): () => void {
    return this.events.add(listener);
  }

  onDeath(_listener: (loss: KernelLoss) => void): () => void {
    return () => undefined;
  }

  run(cell: number, code: string): void {
    this.ran.push(code);
    queueMicrotask(() => {
      this.events.emit({
        type: 'output',
        cell,
        output: { type: 'stream', name: 'stdout', text: code },
      });
      const end = {
        status: 'ok' as const,
        dropped: { stdout: 0, stderr: 0 },
        droppedRich: 0,
        figures: [],
        keyboardInterrupt: false,
      };
      this.events.emit({ type: 'end', cell, end });
    });
  }

  async kill(): Promise<void> {}
}

const noFiles: SandboxFiles<void> = {
  list: async () => [],
  read: async () => new Uint8Array(),
  write: async () => undefined,
  mark: async () => undefined,
  changedSince: async () => [],
};

class ScriptedSandbox extends KernelSandbox<ScriptedTransport> {
  readonly isolation = 'node-pyodide' as const;
  readonly spawned: ScriptedTransport[] = [];

  constructor() {
    super(resolveSandboxOptions({}, 64), noFiles, {
      stateLost: 'files are kept',
      stoppedCell: 'stop-reason',
    });
    this.start();
  }

  protected spawnKernel(): ScriptedTransport {
    const transport = new ScriptedTransport();
    this.spawned.push(transport);
    return transport;
  }

  isolationReport(): object {
    return { level: this.isolation };
  }
}

describe('the shared cell lifecycle', () => {
  it('an abort while the kernel is still booting ends the cell at once, without running it', async () => {
    const sandbox = new ScriptedSandbox();
    const abort = new AbortController();
    const pending = sandbox.run('never', { signal: abort.signal });
    setTimeout(() => abort.abort(), 20);
    const result = await pending;
    expect(result).toMatchObject({ status: 'interrupted', stateLost: false, durationMs: 0 });
    // The kernel never booted and was never asked to run the cell.
    expect(sandbox.bootTimesMs).toEqual([]);
    expect(sandbox.spawned[0]?.ran).toEqual([]);
    // Once it boots, the next cell runs on it as usual.
    sandbox.spawned[0]?.boot();
    const next = await sandbox.run('print(1)');
    expect(next.status).toBe('ok');
    expect(next.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'print(1)' }]);
    await sandbox.dispose();
  });

  it('without an abort, a cell waits for the kernel to boot', async () => {
    const sandbox = new ScriptedSandbox();
    let settled = false;
    const pending = sandbox.run('x = 1').then((r) => {
      settled = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    sandbox.spawned[0]?.boot();
    expect((await pending).status).toBe('ok');
    await sandbox.dispose();
  });
});
