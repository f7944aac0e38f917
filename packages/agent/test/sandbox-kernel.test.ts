// The shared cell lifecycle (KernelSandbox) over a scripted transport: what every level inherits,
// checked without booting any Python.
import { describe, expect, it } from 'vitest';
import { KernelSandbox, type SandboxFiles } from '../src/sandbox/kernel/kernel-sandbox.js';
import { Listeners } from '../src/sandbox/kernel/listeners.js';
import type { KernelLoss } from '../src/sandbox/kernel/lost-kernel.js';
import { resolveSandboxOptions } from '../src/sandbox/kernel/options.js';
import type { KernelTransport, TransportEvent } from '../src/sandbox/kernel/transport.js';
import { handlerNetwork, type SandboxNetwork } from '../src/sandbox/network/network.js';
import type { SandboxRequest, SandboxResponse } from '../src/sandbox/types.js';

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

  /** Model code asks for `url`; resolves with what the harness answered. */
  request(url: string): Promise<SandboxResponse> {
    const request: SandboxRequest = { method: 'GET', url, headers: {} };
    return new Promise((reply) => this.events.emit({ type: 'fetch', request, reply }));
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

  /** What a level that boots before its run's data does (the browser worker's connectData). */
  connect(
    network: SandboxNetwork,
    connectKernel: (kernel: ScriptedTransport) => Promise<void> = async () => undefined,
  ): Promise<void> {
    return this.connectNetwork(network, connectKernel);
  }
}

const DATA = 'https://data.localds.test/rest/v1/';
/** The run's data endpoint, as far as these tests need one: 200 for anything under DATA. */
const dataNetwork = () =>
  handlerNetwork([DATA], async () => ({ status: 200, headers: {}, body: new Uint8Array([42]) }));

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

describe('a sandbox started before its run: the network is connected once, before any cell', () => {
  it('refuses model code every request until connected, then answers from the connected network', async () => {
    const sandbox = new ScriptedSandbox();
    const kernel = sandbox.spawned[0]!;
    kernel.boot();
    await sandbox.ready;
    expect((await kernel.request(`${DATA}ab_test_events`)).status).toBe(403);
    const handed: ScriptedTransport[] = [];
    await sandbox.connect(dataNetwork(), async (k) => {
      handed.push(k);
    });
    // The kernel running then was handed the network once, and requests are answered from it now.
    expect(handed).toEqual([kernel]);
    expect((await kernel.request(`${DATA}ab_test_events`)).status).toBe(200);
    expect((await kernel.request('https://elsewhere.test/')).status).toBe(403);
    await sandbox.dispose();
  });

  it('waits for the kernel to boot, and a cell asked for after the connect runs after it', async () => {
    const sandbox = new ScriptedSandbox();
    const order: string[] = [];
    const connected = sandbox.connect(dataNetwork(), async () => {
      order.push('connect');
    });
    const cell = sandbox.run('x = 1').then(() => order.push('cell'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    sandbox.spawned[0]!.boot();
    await Promise.all([connected, cell]);
    expect(order).toEqual(['connect', 'cell']);
    await sandbox.dispose();
  });

  it('refuses a second connect, one after a cell was asked for, and one for a sandbox given its network', async () => {
    const sandbox = new ScriptedSandbox();
    sandbox.spawned[0]!.boot();
    await sandbox.connect(dataNetwork());
    expect(() => sandbox.connect(dataNetwork())).toThrow('the sandbox already has its network');

    const late = new ScriptedSandbox();
    late.spawned[0]!.boot();
    // Asked for, not even run yet: it would run without the network its requests are recorded with.
    const pending = late.run('x = 1');
    expect(() => late.connect(dataNetwork())).toThrow(
      'a network is connected before the first cell, not after',
    );
    await pending;
    await Promise.all([sandbox.dispose(), late.dispose()]);
  });

  it('ends with the sandbox: a connect still waiting for its kernel rejects on dispose', async () => {
    const sandbox = new ScriptedSandbox();
    const connected = sandbox.connect(dataNetwork());
    await sandbox.dispose();
    await expect(connected).rejects.toThrow('the sandbox has been disposed');
    expect(() => sandbox.connect(dataNetwork())).toThrow('the sandbox has been disposed');
  });
});
