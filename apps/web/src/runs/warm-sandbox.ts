// One sandbox started while the user is still on the benchmark page, so that the run's first cell does
// not wait for Pyodide and the package preflight. It is started for one plan (packages, index, limit):
// a different plan discards it, and a run claims it at most once (a run never shares a kernel; every
// later sandbox, the counterfactual's included, is started fresh). It boots without data: the run
// connects its data endpoint when it claims it. Loaded by the benchmark page on first use, not with it.
import type { BrowserWorkerSandbox } from '@localds/agent/browser';
import { samePlan, type SandboxPlan } from './sandbox-plan.js';
import type { SandboxProgress } from './start-sandbox.js';

export type PrestartState = 'starting' | 'ready' | 'failed';

/** What the slot needs of a sandbox (the page's is a BrowserWorkerSandbox). */
export interface StartedSandbox {
  readonly ready: Promise<void>;
  dispose(): Promise<void>;
}

export type StartSandbox<S> = (
  plan: SandboxPlan,
  onProgress: (progress: SandboxProgress) => void,
) => Promise<S>;

export class WarmSandbox<S extends StartedSandbox = BrowserWorkerSandbox> {
  /** performance.now() when it was asked for */
  readonly startedAt = performance.now();
  /** the sandbox once created (its module loaded); it boots on from there (see its `ready`) */
  readonly sandbox: Promise<S>;
  private readonly progress: SandboxProgress[] = [];
  private follower: ((progress: SandboxProgress) => void) | null = null;
  private watcher: ((state: PrestartState | null) => void) | null = null;
  private state: PrestartState = 'starting';
  private discarded = false;

  constructor(
    readonly plan: SandboxPlan,
    start: StartSandbox<S>,
  ) {
    this.sandbox = start(plan, (progress) => {
      this.progress.push(progress);
      this.follower?.(progress);
    });
    this.sandbox
      .then((sandbox) => sandbox.ready)
      .then(
        () => this.setState('ready'),
        () => this.setState('failed'),
      );
  }

  private setState(state: PrestartState): void {
    this.state = state;
    this.watcher?.(state);
  }

  /** Its start-up stages so far, at once, then each as it comes: a run shows them as a cold start's. */
  followProgress(listener: (progress: SandboxProgress) => void): void {
    for (const progress of this.progress) listener(progress);
    this.follower = listener;
  }

  /**
   * Reports its state now and on every change to one watcher (the page's form), until it leaves the
   * page's slot (claimed or discarded), which is reported as null.
   */
  watch(listener: (state: PrestartState | null) => void): void {
    this.watcher = listener;
    listener(this.state);
  }

  /** It left the page's slot: its watcher hears so, and nothing more. */
  unwatch(): void {
    this.watcher?.(null);
    this.watcher = null;
  }

  /** Not needed after all: disposed as soon as it exists (a failed start leaves nothing to dispose). */
  discard(): void {
    if (this.discarded) return;
    this.discarded = true;
    this.follower = null;
    this.unwatch();
    void this.sandbox.then((sandbox) => sandbox.dispose()).catch(() => undefined);
  }
}

/** Holds at most one prepared sandbox. */
export class SandboxSlot<S extends StartedSandbox = BrowserWorkerSandbox> {
  private warm: WarmSandbox<S> | null = null;

  constructor(private readonly start: StartSandbox<S>) {}

  /**
   * Starts a sandbox for `plan` unless one for it is already there (kept, whatever its state);
   * one for another plan is discarded. `onState` follows the one kept or started.
   */
  prepare(plan: SandboxPlan, onState?: (state: PrestartState | null) => void): WarmSandbox<S> {
    if (!this.warm || !samePlan(this.warm.plan, plan)) {
      this.warm?.discard();
      this.warm = new WarmSandbox(plan, this.start);
    }
    if (onState) this.warm.watch(onState);
    return this.warm;
  }

  /**
   * Hands the prepared sandbox to a run when it was prepared for `plan`, and forgets it: the run owns
   * it from here (it disposes it, or discards it unused). One for another plan is discarded.
   */
  claim(plan: SandboxPlan): WarmSandbox<S> | null {
    const warm = this.warm;
    this.warm = null;
    if (!warm) return null;
    warm.unwatch();
    if (samePlan(warm.plan, plan)) return warm;
    warm.discard();
    return null;
  }

  /** The page was left without running (or pre-starting was turned off): nothing is kept. */
  release(): void {
    this.warm?.discard();
    this.warm = null;
  }
}

/** The page's one slot: its sandbox module loads with the first prepared sandbox. */
export const pageSlot = new SandboxSlot<BrowserWorkerSandbox>((plan, onProgress) =>
  import('./start-sandbox.js').then(({ startSandbox }) => startSandbox(plan, onProgress)),
);
