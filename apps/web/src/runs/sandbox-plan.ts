// Which sandbox a run needs, decided from its benchmark, whether it is the scripted demo, and Settings
// alone: the benchmark page computes it to start the sandbox before Run, and the run computes it again
// to check that the sandbox it is handed is the one it would have started.
import { getBenchmark, type AnyBenchmark } from '@localds/benchmarks';
import { splitReplayEnvironment, type PackagesChoice } from '@localds/agent/run';
import { loadSettings } from '../storage/settings.js';
import type { RunSettings } from './run-settings.js';

/** A page run's longest cell: its budget, and the limit its sandbox reports in run.json. */
export const CELL_TIMEOUT_MS = 120_000;

/**
 * A benchmark's scripted demo: a standard-library program that says so in its file
 * (`"environment": "stdlib-only"`).
 */
export function demoOf(benchmark: AnyBenchmark) {
  return splitReplayEnvironment(benchmark.demoReplay);
}

/** The Python environment of a run: the demo declares its own; otherwise Settings decides. */
export function packagesChoice(benchmark: AnyBenchmark, scripted: boolean): PackagesChoice {
  if (scripted) return demoOf(benchmark).environment ?? 'full';
  return loadSettings().stdlibOnly ? 'stdlib-only' : 'full';
}

/** Everything a run's first sandbox is built from, data aside (connected when the run starts). */
export interface SandboxPlan {
  /** Pyodide packages the worker loads (and checks) before model code runs; none for stdlib-only */
  packages: string[];
  /** where they come from (Settings); undefined when there are none to load */
  packageIndexUrl: string | undefined;
  /** the sandbox's default cell time limit, as its isolation report gives it */
  timeoutMs: number;
}

export function sandboxPlan(benchmarkId: string, scripted: boolean): SandboxPlan {
  const benchmark = getBenchmark(benchmarkId);
  const packages =
    packagesChoice(benchmark, scripted) === 'full' ? [...benchmark.pythonPackages] : [];
  return {
    packages,
    packageIndexUrl: packages.length > 0 ? loadSettings().pyodideIndexUrl : undefined,
    timeoutMs: CELL_TIMEOUT_MS,
  };
}

export const planOfRun = (settings: RunSettings): SandboxPlan =>
  sandboxPlan(settings.benchmark, settings.model.source === 'scripted');

export function samePlan(a: SandboxPlan, b: SandboxPlan): boolean {
  return (
    a.packageIndexUrl === b.packageIndexUrl &&
    a.timeoutMs === b.timeoutMs &&
    a.packages.length === b.packages.length &&
    a.packages.every((name, i) => b.packages[i] === name)
  );
}
