import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getBenchmark } from '@localds/benchmarks';
import {
  CELL_TIMEOUT_MS,
  planOfRun,
  samePlan,
  sandboxPlan,
  type SandboxPlan,
} from '../../apps/web/src/runs/sandbox-plan.js';
import { defaultRunSettings } from '../../apps/web/src/runs/run-settings.js';
import {
  SandboxSlot,
  type PrestartState,
  type StartedSandbox,
} from '../../apps/web/src/runs/warm-sandbox.js';
import type { SandboxProgress } from '../../apps/web/src/runs/start-sandbox.js';
import { DEFAULT_SETTINGS, saveSettings } from '../../apps/web/src/storage/settings.js';

/** A sandbox whose boot the test finishes (or fails), counting its disposals. */
class FakeSandbox implements StartedSandbox {
  disposed = 0;
  readonly ready: Promise<void>;
  boot!: () => void;
  fail!: (error: Error) => void;

  constructor(readonly plan: SandboxPlan) {
    this.ready = new Promise((resolve, reject) => {
      this.boot = resolve;
      this.fail = reject;
    });
    this.ready.catch(() => undefined);
  }

  async dispose(): Promise<void> {
    this.disposed++;
  }
}

/** A slot over fake sandboxes; each start's sandbox and progress reporter, in order. */
function fakeSlot() {
  const started: { sandbox: FakeSandbox; progress: (p: SandboxProgress) => void }[] = [];
  let release: (() => void) | null = null;
  /** while true, a start does not return its sandbox (its module still loading) until resume() */
  const loading = { held: false };
  const slot = new SandboxSlot<FakeSandbox>(async (plan, progress) => {
    const sandbox = new FakeSandbox(plan);
    started.push({ sandbox, progress });
    if (loading.held) await new Promise<void>((resolve) => (release = resolve));
    return sandbox;
  });
  return { slot, started, loading, resume: () => release?.() };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const STDLIB: SandboxPlan = { packages: [], packageIndexUrl: undefined, timeoutMs: 120_000 };
const FULL: SandboxPlan = {
  packages: ['pandas', 'scipy'],
  packageIndexUrl: 'https://index.test/pyodide/',
  timeoutMs: 120_000,
};

// The benchmark page's pre-started sandbox: one at a time, for one plan, claimed by one run at most.
describe('the pre-started sandbox slot', () => {
  it('starts one sandbox per plan: the same plan again keeps it, another plan discards it', async () => {
    const { slot, started } = fakeSlot();
    const first = slot.prepare(STDLIB);
    expect(slot.prepare({ ...STDLIB, packages: [] })).toBe(first);
    expect(started).toHaveLength(1);
    const second = slot.prepare(FULL);
    expect(second).not.toBe(first);
    expect(started.map((s) => s.sandbox.plan)).toEqual([STDLIB, FULL]);
    await settle();
    expect(started.map((s) => s.sandbox.disposed)).toEqual([1, 0]);
    slot.release();
  });

  it('hands its sandbox to one run only: a second claim gets none, and the claimed one is not disposed', async () => {
    const { slot, started } = fakeSlot();
    const warm = slot.prepare(STDLIB);
    expect(slot.claim(STDLIB)).toBe(warm);
    expect(slot.claim(STDLIB)).toBeNull();
    // Leaving the page after the claim leaves the run's sandbox alone.
    slot.release();
    await settle();
    expect(await warm.sandbox).toBe(started[0]!.sandbox);
    expect(started[0]!.sandbox.disposed).toBe(0);
  });

  it('a claim for another plan (settings changed) discards the prepared one and gets none', async () => {
    const { slot, started } = fakeSlot();
    slot.prepare(STDLIB);
    expect(slot.claim({ ...STDLIB, timeoutMs: 60_000 })).toBeNull();
    await settle();
    expect(started[0]!.sandbox.disposed).toBe(1);
    // Nothing is left for a later claim either.
    expect(slot.claim(STDLIB)).toBeNull();
  });

  it('release disposes the prepared sandbox, even one whose module was still loading', async () => {
    const { slot, started, loading, resume } = fakeSlot();
    loading.held = true;
    slot.prepare(FULL);
    slot.release();
    await settle();
    expect(started[0]!.sandbox.disposed).toBe(0);
    resume();
    await settle();
    expect(started[0]!.sandbox.disposed).toBe(1);
    expect(slot.claim(FULL)).toBeNull();
  });

  it('a sandbox that failed to start is still handed to the run, which reports it as a cold start would', async () => {
    const { slot, started } = fakeSlot();
    const states: (PrestartState | null)[] = [];
    slot.prepare(FULL, (state) => states.push(state));
    await settle();
    started[0]!.sandbox.fail(new Error('could not load Pyodide packages pandas'));
    await settle();
    expect(states).toEqual(['starting', 'failed']);
    const warm = slot.claim(FULL);
    expect(warm).not.toBeNull();
    await expect((await warm!.sandbox).ready).rejects.toThrow('could not load Pyodide packages');
    // The form hears that the slot is empty.
    expect(states).toEqual(['starting', 'failed', null]);
  });

  it('replays the start-up stages so far to the run, then follows the rest', async () => {
    const { slot, started } = fakeSlot();
    const states: (PrestartState | null)[] = [];
    const warm = slot.prepare(STDLIB, (state) => states.push(state));
    await settle();
    const report = started[0]!.progress;
    report({ stage: 'runtime', ms: 900 });
    report({ stage: 'filesystem', ms: 3 });
    const seen: string[] = [];
    expect(slot.claim(STDLIB)).toBe(warm);
    warm.followProgress((p) => seen.push(`${p.stage} ${p.ms}`));
    report({ stage: 'packages', ms: 1 });
    expect(seen).toEqual(['runtime 900', 'filesystem 3', 'packages 1']);
    // Claimed: the form no longer follows it.
    started[0]!.sandbox.boot();
    await settle();
    expect(states).toEqual(['starting', null]);
  });
});

/** localStorage for Settings, as the page has it. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

describe('the sandbox plan a run needs', () => {
  const benchmark = getBenchmark('ab-test-analysis');
  beforeEach(() => {
    vi.stubGlobal('localStorage', memoryStorage());
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('the scripted demo declares the standard library only, whatever Settings say', () => {
    saveSettings({ ...DEFAULT_SETTINGS, pyodideIndexUrl: 'https://index.test/a/' });
    expect(sandboxPlan(benchmark.id, true)).toEqual({
      packages: [],
      packageIndexUrl: undefined,
      timeoutMs: CELL_TIMEOUT_MS,
    });
    expect(planOfRun(defaultRunSettings(benchmark.id, 'canonical'))).toEqual(
      sandboxPlan(benchmark.id, true),
    );
  });

  it("a model's run loads the benchmark's packages from the index in Settings, or none when they say standard library only", () => {
    saveSettings({ ...DEFAULT_SETTINGS, pyodideIndexUrl: 'https://index.test/a/' });
    const full = sandboxPlan(benchmark.id, false);
    expect(full).toEqual({
      packages: [...benchmark.pythonPackages],
      packageIndexUrl: 'https://index.test/a/',
      timeoutMs: CELL_TIMEOUT_MS,
    });
    // Another index is another plan: a sandbox prepared for the first one is not used.
    saveSettings({ ...DEFAULT_SETTINGS, pyodideIndexUrl: 'https://index.test/b/' });
    expect(samePlan(full, sandboxPlan(benchmark.id, false))).toBe(false);
    saveSettings({
      ...DEFAULT_SETTINGS,
      pyodideIndexUrl: 'https://index.test/b/',
      stdlibOnly: true,
    });
    expect(sandboxPlan(benchmark.id, false)).toEqual(sandboxPlan(benchmark.id, true));
  });

  it('compares plans by their content', () => {
    expect(samePlan(FULL, { ...FULL, packages: [...FULL.packages] })).toBe(true);
    expect(samePlan(FULL, { ...FULL, packages: ['pandas'] })).toBe(false);
    expect(samePlan(FULL, { ...FULL, packages: ['scipy', 'pandas'] })).toBe(false);
    expect(samePlan(FULL, STDLIB)).toBe(false);
  });
});
