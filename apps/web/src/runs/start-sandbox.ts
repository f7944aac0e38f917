// Starts a page sandbox for a plan: Pyodide in a worker, its core from this build, the plan's packages
// from its index. A sandbox whose packages do not load fails to start: there is no silent fallback to
// the standard library. Loaded with the run machinery, or by the benchmark page to start one early.
import {
  createBrowserSandbox,
  type BrowserSandboxOptions,
  type BrowserWorkerSandbox,
} from '@localds/agent/browser';
import type { SandboxPlan } from './sandbox-plan.js';

export type SandboxProgress = { stage: string; ms: number };

/**
 * `data`: the run's endpoint, served inside the worker. Without it (started before the run) the
 * worker refuses every request until the run calls `connectData`.
 */
export function startSandbox(
  plan: SandboxPlan,
  onProgress: (progress: SandboxProgress) => void,
  data?: BrowserSandboxOptions['data'],
): BrowserWorkerSandbox {
  return createBrowserSandbox({
    pyodideIndexUrl: new URL('pyodide/', document.baseURI).href,
    // No packages: nothing to resolve, so the lock next to this build's core is used (no CDN).
    ...(plan.packageIndexUrl ? { packageIndexUrl: plan.packageIndexUrl } : {}),
    packages: plan.packages,
    ...(data ? { data } : {}),
    timeoutMs: plan.timeoutMs,
    onProgress,
  });
}
