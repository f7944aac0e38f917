// The one cell lifecycle every isolation level runs (after JupyterLite's PyodideRemoteKernel: one kernel
// class owning the protocol, thin transports). Isomorphic. It queues cells, waits for the kernel, races
// the cell against its time limit, the caller's AbortSignal, a flood, the kernel's death and disposal,
// interrupts (KeyboardInterrupt first where the level can) or replaces the kernel, assembles outputs
// under their budgets, relays model code's requests through the run's network, and builds the result.
// A level only says how to start its kernel (a KernelTransport), where its files live and what it
// reports about its walls. A change to how a cell runs is made here, once, for every level.
import { NO_NETWORK, type SandboxNetwork } from '../network/network.js';
import type {
  CellResult,
  CellStatus,
  FigureInfo,
  FileInfo,
  IsolationLevel,
  PythonSandbox,
  RunOptions,
  SandboxRequest,
  SandboxResponse,
} from '../types.js';
import { watchCellLimits, type StopReason } from './cell-limits.js';
import { Listeners } from './listeners.js';
import {
  errorOutput,
  kernelReady,
  kernelRestartedError,
  lostKernel,
  type KernelLoss,
} from './lost-kernel.js';
import type { ResolvedSandboxOptions } from './options.js';
import { cappedFeed, OutputAssembler, StreamLimiter, type StreamName } from './outputs.js';
import { RequestLog } from './request-log.js';
import { SerialQueue } from './serial-queue.js';
import type { CellEnd, KernelTransport } from './transport.js';

/** Where a level keeps the run's files, and how it tells which ones a cell wrote. */
export interface SandboxFiles<Mark = unknown> {
  list(): Promise<FileInfo[]>;
  read(name: string): Promise<Uint8Array>;
  write(name: string, bytes: Uint8Array): Promise<void>;
  /** taken just before a cell runs */
  mark(): Promise<Mark>;
  /** the files the cell wrote or changed, looked at once any lost kernel is gone */
  changedSince(mark: Mark, stateLost: boolean): Promise<{ name: string; size: number }[]>;
}

/** How a level words what survives a lost kernel, and reports a cell its KeyboardInterrupt stopped. */
export interface LevelWording {
  /** the words after "state was lost": what is kept across a restart */
  stateLost: string;
  /**
   * 'stop-reason' (CPython): the status says why the harness stopped it (timeout or interrupted), with a
   * note on stderr after a timeout; 'interrupted' (the browser worker): the status is 'interrupted',
   * with a KeyboardInterrupt error output saying why.
   */
  stoppedCell: 'stop-reason' | 'interrupted';
}

type Outcome =
  | { kind: 'end'; end: CellEnd }
  /** the harness stopped the cell by replacing the kernel (the level cannot interrupt) */
  | { kind: 'stopped'; why: StopReason }
  | { kind: 'lost'; loss: KernelLoss };

const DISPOSED: KernelLoss = {
  kind: 'crashed',
  reason: 'Disposed: the sandbox was disposed during the cell',
};

/** Raw fd output (subprocesses, C code) under its own budget, decoded as it arrives. */
class RawStreams {
  private readonly limiter: StreamLimiter;
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };

  constructor(limitBytes: number) {
    this.limiter = new StreamLimiter(limitBytes);
  }

  get dropped(): Record<StreamName, number> {
    return this.limiter.dropped;
  }

  accept(name: StreamName, bytes: Uint8Array, assembler: OutputAssembler): void {
    const kept = this.limiter.accept(name, bytes);
    if (kept.length) assembler.stream(name, this.decoders[name].decode(kept, { stream: true }));
  }

  flush(assembler: OutputAssembler): void {
    for (const name of ['stdout', 'stderr'] as const)
      assembler.stream(name, this.decoders[name].decode());
  }
}

export abstract class KernelSandbox<
  T extends KernelTransport = KernelTransport,
> implements PythonSandbox {
  abstract readonly isolation: IsolationLevel;
  /** boot time of each kernel started so far (first = cold start), in ms */
  readonly bootTimesMs: number[] = [];
  protected kernel!: T;
  private spare: T | undefined;
  private seq = 0;
  /** a cell was asked for (run() called), queued or not */
  private cellAsked = false;
  private readonly requests = new RequestLog();
  private readonly queue = new SerialQueue();
  private disposed = false;
  /** a cell in flight ends at once on dispose(), instead of at its timeout */
  private readonly disposal = new Listeners<void>();

  constructor(
    protected readonly opts: ResolvedSandboxOptions,
    protected readonly files: SandboxFiles,
    private readonly wording: LevelWording,
  ) {}

  /** Starts one kernel; called for the first one, every replacement and the spare. */
  protected abstract spawnKernel(): T;

  /** What the level established about its walls and limits, for run.json. */
  abstract isolationReport(): object;

  /** Boots the first kernel (and the spare); a level calls it last in its constructor. */
  protected start(): void {
    this.kernel = this.boot();
    if (this.opts.spareKernel) this.spare = this.boot();
  }

  /**
   * Gives model code its network when the sandbox was started without one (booted before its run's
   * data were known): once, before any cell was asked for. Queued like a cell, so every cell asked
   * for after it runs with the network; `connectKernel` hands it to the kernel running then, and the
   * level gives it to every kernel it starts later. Refused with a spare kernel (booted without it).
   */
  protected connectNetwork(
    network: SandboxNetwork,
    connectKernel: (kernel: T) => Promise<void>,
  ): Promise<void> {
    // Refusals are thrown at once, so the level knows before it records the network as its own.
    if (this.disposed) throw new Error('the sandbox has been disposed');
    if (this.opts.network) throw new Error('the sandbox already has its network');
    if (this.cellAsked) throw new Error('a network is connected before the first cell, not after');
    if (this.spare) throw new Error('a sandbox with a spare kernel is given its network up front');
    this.opts.network = network;
    return this.queue.push(async () => {
      if (this.disposed) throw new Error('the sandbox has been disposed');
      // A kernel killed underneath never answers: the connect ends with the sandbox.
      let off: () => void = () => undefined;
      const disposed = new Promise<never>((_, reject) => {
        off = this.disposal.add(() => reject(new Error('the sandbox has been disposed')));
      });
      const connected = kernelReady(this.ready).then(() => connectKernel(this.kernel));
      connected.catch(() => undefined);
      try {
        await Promise.race([connected, disposed]);
      } finally {
        off();
      }
    });
  }

  /** Runs after dispose() killed the kernels (e.g. to remove temp dirs). */
  protected afterDispose(): void | Promise<void> {}

  get ready(): Promise<void> {
    return this.kernel.ready.then(() => undefined);
  }

  private boot(): T {
    const kernel = this.spawnKernel();
    kernel.ready.then((ms) => this.bootTimesMs.push(ms)).catch(() => undefined);
    // Model code's requests are answered (or recorded) whenever they come, inside a cell or from a
    // background task.
    kernel.subscribe((event) => {
      if (event.type === 'fetch') this.relay(event.request, event.reply);
      else if (event.type === 'refused') this.requests.add(event.record);
    });
    return kernel;
  }

  /** Answers a request through the run's network (when the kernel waits for it) and logs its record. */
  private relay(
    request: SandboxRequest,
    reply?: (response: SandboxResponse) => void | Promise<void>,
  ): void {
    const answered = (this.opts.network ?? NO_NETWORK).answer(request);
    this.requests.track(
      answered.then(async (answer) => {
        // The kernel waits on the reply, so the record (it parses the whole body to count its rows)
        // waits until the reply has left.
        try {
          await reply?.(answer.response);
        } catch {
          // A reply that cannot be sent means the kernel died; that is reported as its death.
        }
        return answer.record();
      }),
    );
  }

  private async replaceKernel(): Promise<void> {
    const old = this.kernel;
    this.kernel = this.spare ?? this.boot();
    this.spare = this.opts.spareKernel ? this.boot() : undefined;
    await old.kill();
  }

  /** Cells run one at a time, in call order. */
  run(code: string, opts: RunOptions = {}): Promise<CellResult> {
    this.cellAsked = true;
    return this.queue.push(() => this.runNow(code, opts));
  }

  private async runNow(code: string, opts: RunOptions): Promise<CellResult> {
    if (this.disposed) throw new Error('the sandbox has been disposed');
    if (await this.abortedBeforeStart(opts.signal)) {
      // Aborted while queued or while its kernel booted: nothing ran, so the kernel and its state
      // are untouched.
      return {
        status: 'interrupted',
        outputs: [errorOutput('KeyboardInterrupt', 'the cell was interrupted before it started')],
        durationMs: 0,
        stateLost: false,
        requests: [],
        filesWritten: [],
        figures: [],
      };
    }
    const kernel = this.kernel;
    const cell = ++this.seq;
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs;
    const { maxOutputBytes, maxRichOutputBytes, interruptGraceMs } = this.opts;
    const assembler = new OutputAssembler();
    const raw = new RawStreams(maxOutputBytes);
    const mark = await this.files.mark();
    const started = performance.now();
    // Backstop against a kernel that bypasses its own budgets: the harness never holds more than this.
    const feed = cappedFeed(assembler, 2 * (maxOutputBytes + maxRichOutputBytes));
    /** why the harness stopped the cell, if it did; a timeout outranks an abort */
    let stoppedBy: StopReason | undefined;

    const cleanups: (() => void)[] = [];
    const outcome = await new Promise<Outcome>((resolve) => {
      const lost = (loss: KernelLoss) => resolve({ kind: 'lost', loss });
      cleanups.push(
        kernel.subscribe((event) => {
          if (event.type === 'raw') raw.accept(event.name, event.bytes, assembler);
          else if (event.type === 'lost') lost(event.loss);
          else if (event.type === 'output' && event.cell === cell) {
            if (!feed(event.output)) lost({ kind: 'flood' });
          } else if (event.type === 'end' && event.cell === cell) {
            resolve({ kind: 'end', end: event.end });
          }
        }),
      );
      cleanups.push(kernel.onDeath(lost));
      cleanups.push(this.disposal.add(() => lost(DISPOSED)));
      // KeyboardInterrupt first where the level can (state kept); a cell that does not stop for it
      // within the grace period, or a level that cannot interrupt, loses its kernel.
      let interrupting = false;
      const stop = (why: StopReason) => {
        if (!stoppedBy || why === 'timeout') stoppedBy = why;
        if (!kernel.interrupt) return resolve({ kind: 'stopped', why });
        if (interrupting) return;
        interrupting = true;
        kernel.interrupt(cell);
        const grace = setTimeout(() => {
          const why = stoppedBy ?? 'interrupted';
          lost(
            why === 'timeout'
              ? { kind: 'timeout', timeoutMs, interruptIgnored: true }
              : { kind: 'interrupted', interruptIgnored: true },
          );
        }, interruptGraceMs);
        cleanups.push(() => clearTimeout(grace));
      };
      cleanups.push(watchCellLimits(timeoutMs, opts.signal, stop));
      kernel.run(cell, code);
    });
    for (const cleanup of cleanups) cleanup();
    raw.flush(assembler);

    let settled: { status: CellStatus; stateLost: boolean; figures: FigureInfo[] };
    if (outcome.kind === 'end') {
      settled = this.settleEnd(outcome.end, assembler, stoppedBy, timeoutMs);
    } else {
      const loss: KernelLoss =
        outcome.kind === 'lost'
          ? outcome.loss
          : outcome.why === 'timeout'
            ? { kind: 'timeout', timeoutMs }
            : { kind: 'interrupted' };
      const { status, error } = lostKernel(loss, this.wording.stateLost);
      assembler.add(error);
      settled = { status, stateLost: true, figures: [] };
    }
    // Last, so the marker follows every note: raw fd output and the kernel's own streams together.
    const kernelDropped = outcome.kind === 'end' ? outcome.end.dropped : undefined;
    assembler.markTruncated({
      stdout: raw.dropped.stdout + (kernelDropped?.stdout ?? 0),
      stderr: raw.dropped.stderr + (kernelDropped?.stderr ?? 0),
    });
    // A live request's record may wait on the harness's own fetch of the project.
    await this.requests.settled(10_000);
    // The duration stops before a lost kernel is replaced (a reboot is not the cell's time); requests
    // and files are read after, when the old kernel can no longer add to them.
    const durationMs = Math.round(performance.now() - started);
    if (settled.stateLost && !this.disposed) await this.replaceKernel();
    const requests = this.requests.take();
    return {
      status: settled.status,
      outputs: assembler.outputs(),
      durationMs,
      stateLost: settled.stateLost,
      requests,
      filesWritten: await this.files.changedSince(mark, settled.stateLost),
      figures: settled.figures,
      ...(outcome.kind === 'end' && outcome.end.peakMemoryBytes !== undefined
        ? { peakMemoryBytes: outcome.end.peakMemoryBytes }
        : {}),
    };
  }

  /**
   * Waits for the kernel the cell will run on, unless the caller aborts first: a kernel (re)booting
   * takes seconds, and an abort must not wait for it. True when the cell must not start.
   */
  private async abortedBeforeStart(signal: AbortSignal | undefined): Promise<boolean> {
    if (!signal) {
      await kernelReady(this.ready);
      return false;
    }
    if (signal.aborted) return true;
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<boolean>((resolve) => {
      onAbort = () => resolve(true);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([kernelReady(this.ready).then(() => signal.aborted), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** A cell the kernel finished: what its budgets dropped, how the harness stopped it, whether it is spent. */
  private settleEnd(
    end: CellEnd,
    assembler: OutputAssembler,
    stoppedBy: StopReason | undefined,
    timeoutMs: number,
  ): { status: CellStatus; stateLost: boolean; figures: FigureInfo[] } {
    let status: CellStatus = end.status;
    if (stoppedBy && end.keyboardInterrupt) {
      if (this.wording.stoppedCell === 'stop-reason') {
        status = stoppedBy;
        if (stoppedBy === 'timeout') {
          assembler.stream(
            'stderr',
            `[localds] the cell ran longer than ${timeoutMs} ms and was interrupted; variables are kept\n`,
          );
        }
      } else {
        status = 'interrupted';
        const why =
          stoppedBy === 'timeout'
            ? `the cell ran longer than ${timeoutMs} ms`
            : 'the cell was interrupted';
        assembler.add(
          errorOutput(
            'KeyboardInterrupt',
            `${why} and was stopped with KeyboardInterrupt; variables and imports are kept`,
          ),
        );
      }
    }
    assembler.markDroppedRich(end.droppedRich);
    if (end.spent) assembler.add(kernelRestartedError(end.spent, this.wording.stateLost));
    return { status, stateLost: end.spent !== undefined, figures: end.figures };
  }

  listFiles(): Promise<FileInfo[]> {
    return this.files.list();
  }

  readFile(name: string): Promise<Uint8Array> {
    return this.files.read(name);
  }

  writeFile(name: string, bytes: Uint8Array): Promise<void> {
    return this.files.write(name, bytes);
  }

  /** A fresh kernel; waits for a running cell to finish (or time out) rather than killing it underneath. */
  restart(): Promise<void> {
    return this.queue.push(async () => {
      await this.replaceKernel();
      await this.ready;
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.disposal.emit();
    await Promise.all([this.kernel.kill(), this.spare?.kill()]);
    await this.afterDispose();
  }
}
