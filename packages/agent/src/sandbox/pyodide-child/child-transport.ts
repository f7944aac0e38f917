// The Node Pyodide level's transport: one sandbox child process, spawned inside its walls; what it says
// is validated and turned into the kernel's events, and how it ended into a lost kernel's words.
// The sandbox keeps one of these per interpreter lifetime and replaces it on timeout, crash or restart.
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { exitedBeforeReady, type KernelExit } from '../process/kernel-exit.js';
import { endEvent, type TransportEvent } from '../kernel/transport.js';
import { fetchEvent, ProcessTransport } from '../process/process-transport.js';
import { Listeners } from '../kernel/listeners.js';
import {
  MEMORY_EXHAUSTED,
  processDied,
  PYODIDE_FATAL,
  type KernelLoss,
} from '../kernel/lost-kernel.js';
import { BODY_CHANNEL_FD } from './body-channel.js';
import {
  childMessageSchema,
  type ChildConfig,
  type ChildMessage,
  type ParentMessage,
} from './protocol.js';
import { jspiFlags } from './jspi.js';
import { wrapChild, type Walls } from './walls.js';

export interface KernelSpawnOptions {
  childScript: string;
  config: ChildConfig;
  /** directories the child may read besides the run directory */
  readDirs: string[];
  jsHeapMb: number;
  networkIsolation: 'auto' | 'require' | 'off';
  /** turn on JSPI where this Node needs a flag for it (see NodeSandboxOptions.jspi) */
  jspi: boolean;
}

/** The node flags of a sandbox child: Node's permission model limits it to reading `readDirs` and the run
 * directory and writing the run directory; no child processes, workers, addons or WASI. */
export function sandboxNodeFlags(opts: {
  readDirs: string[];
  runDir: string;
  jsHeapMb: number;
  jspi: boolean;
}): string[] {
  return [
    '--experimental-permission',
    ...[...opts.readDirs, opts.runDir].map((dir) => `--allow-fs-read=${dir}`),
    `--allow-fs-write=${opts.runDir}`,
    `--max-old-space-size=${opts.jsHeapMb}`,
    // Below a 2 GB ceiling V8 grows the heap by as little as 1.3-2x after each full GC (1.4x at 512 MB)
    // instead of 4x, so a cell that builds large objects collects far more often: the replay's data
    // cell (five 300 KB pages) ran ~50 ms slower under 512 MB than uncapped. 4x again; the cap stands.
    '--heap-growing-percent=300',
    // No eval/new Function: run_js and js.eval/js.Function cannot turn strings into JS.
    '--disallow-code-generation-from-strings',
    // JSPI, so model code's `requests` (urllib3) can wait on the guarded fetch.
    ...(opts.jspi ? jspiFlags() : []),
    '--no-warnings',
  ];
}

/** How the child died, in the words every level uses. */
function childLoss(exit: KernelExit): KernelLoss {
  // The cause (e.g. V8's "JavaScript heap out of memory") comes before the native stack frames, so
  // keep the lines that name an error, else the last few.
  const all = exit.stderrTail ? exit.stderrTail.split('\n').filter(Boolean) : [];
  const causes = all.filter((line) => /error|out of memory|fatal/i.test(line));
  return {
    kind: 'crashed',
    reason: processDied(exit),
    detail: (causes.length ? causes : all).slice(-5),
  };
}

/** The kernel's event for one message of the child (a boot message is none). */
function toEvent(
  msg: ChildMessage,
  send: (msg: ParentMessage) => void,
  writeBody: (bytes: Uint8Array) => Promise<void>,
): TransportEvent | null {
  switch (msg.type) {
    case 'stream':
      return { type: 'output', cell: msg.id, output: msg };
    case 'display':
      return { type: 'output', cell: msg.id, output: msg };
    case 'fetch':
      return fetchEvent(msg.request, ({ status, headers, body }) => {
        const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
        // The bytes first: the child reads them as soon as the message arrives.
        const written = writeBody(bytes);
        send({
          type: 'fetch-result',
          id: msg.id,
          status,
          headers,
          body: { channelBytes: bytes.length },
        });
        return written;
      });
    case 'result':
      // A cell that caught its own MemoryError and finished keeps its kernel; one that died of it does not.
      return endEvent(msg, {
        keyboardInterrupt: false,
        spent: msg.fatal ? PYODIDE_FATAL : msg.memoryExhausted ? MEMORY_EXHAUSTED : undefined,
      });
    default:
      return null;
  }
}

export class ChildTransport extends ProcessTransport<ParentMessage> {
  readonly walls: Walls;
  /** resolves with the child's boot time; rejects with why it could not start */
  readonly ready: Promise<number>;
  private readonly listeners = new Listeners<ChildMessage>();

  constructor(opts: KernelSpawnOptions) {
    const nodeArgs = [
      ...sandboxNodeFlags({
        readDirs: opts.readDirs,
        runDir: opts.config.runDir,
        jsHeapMb: opts.jsHeapMb,
        jspi: opts.jspi,
      }),
      opts.childScript,
      JSON.stringify(opts.config),
    ];
    // The OS ceiling sits above both heaps so the wasm cap (a clean MemoryError) normally trips first.
    const osMemoryBytes = (opts.config.wasmMemoryMb + opts.jsHeapMb + 1024) * 1024 * 1024;
    const cmd = wrapChild(nodeArgs, { osMemoryBytes, networkIsolation: opts.networkIsolation });
    super(
      spawn(cmd.command, cmd.args, {
        // An empty environment: no keys or tokens of the harness can leak into the child.
        env: {},
        // fd 4 (BODY_CHANNEL_FD): the body channel.
        stdio: ['ignore', 'ignore', 'pipe', 'ipc', 'pipe'],
        serialization: 'advanced',
      }),
      childLoss,
    );
    this.walls = cmd.walls;
    this.child.stderr?.on('data', (chunk: Buffer) => this.exit.stderr(chunk));
    this.ready = new Promise((resolve, reject) => {
      const onBoot = (msg: ChildMessage) => {
        if (msg.type === 'ready') resolve(msg.bootMs);
        else if (msg.type === 'boot-error')
          reject(new Error(`Pyodide failed to start: ${msg.message}`));
        else return;
        this.listeners.delete(onBoot);
      };
      this.listeners.add(onBoot);
      void this.exit.exited.then((exit) => reject(exitedBeforeReady('the sandbox process', exit)));
    });
    this.ready.catch(() => undefined);
    const send = (msg: ParentMessage) => this.send(msg);
    const bodyChannel = this.child.stdio[BODY_CHANNEL_FD] as Writable;
    // A child that dies mid-write breaks the pipe; its death is reported through onDeath.
    bodyChannel.on('error', () => undefined);
    /** resolves once the bytes have been handed to the OS (or could not be: the child is gone) */
    const writeBody = (bytes: Uint8Array) =>
      new Promise<void>((resolve) => {
        if (bytes.length && this.child.connected) bodyChannel.write(bytes, () => resolve());
        else resolve();
      });
    this.child.on('message', (raw: unknown) => {
      const parsed = childMessageSchema.safeParse(raw);
      // The child runs model code: anything malformed is dropped, never trusted.
      if (!parsed.success) return;
      this.listeners.emit(parsed.data);
      const event = toEvent(parsed.data, send, writeBody);
      if (event) this.events.emit(event);
    });
  }

  protected send(msg: ParentMessage): void {
    // A child that dies meanwhile makes the send fail; its exit is reported through onDeath.
    if (this.child.connected) this.child.send(msg, () => undefined);
  }

  /** SIGKILL: the wrapper (unshare/bwrap) passes it on to node, and the pid namespace takes the rest. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exit.exited;
  }
}
