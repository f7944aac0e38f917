// The Python environment a run gives model code: the benchmark's packages ('full'), or the standard
// library only ('stdlib-only', chosen by the user or declared by a replay). The task text the model
// receives names exactly what exists, and run.json records it (`environment`), so stdlib-only runs are
// never pooled with full ones (see @localds/scorer's comparability key).
import type { Environment } from '@localds/scorer';
import { z } from 'zod';
import type { IsolationLevel } from '../sandbox/types.js';

export const PackagesChoiceSchema = z.enum(['full', 'stdlib-only']);
export type PackagesChoice = z.infer<typeof PackagesChoiceSchema>;
export type RunEnvironment = Environment;

/** The line of a task that names the Python packages; every benchmark's task ends with one. */
const PACKAGES_LINE = /^Python packages available:.*$/m;

/** What a level offers model code besides the standard library when no package is loaded. */
function alwaysOffered(isolation: IsolationLevel): string {
  // Pyodide's own `pyodide` module ships in its core (no package to load) and is how the stdlib reaches
  // HTTP there; the native levels route `urllib.request` to the harness instead.
  return isolation === 'browser-worker' || isolation === 'node-pyodide'
    ? ", plus Pyodide's built-in `pyodide.http.pyfetch` for HTTP requests"
    : ', with `urllib.request` for HTTP requests';
}

/** The sentence that tells the model which packages exist in a stdlib-only run. */
export function stdlibOnlyPackagesLine(required: readonly string[], isolation: IsolationLevel) {
  return (
    `Python packages available: only the Python standard library${alwaysOffered(isolation)}. ` +
    `${required.join(', ')} are not installed and cannot be installed in this run.`
  );
}

/** The task as the model receives it in this environment: unchanged for 'full'. */
export function taskForEnvironment(
  task: string,
  required: readonly string[],
  packages: PackagesChoice,
  isolation: IsolationLevel,
): string {
  if (packages === 'full') return task;
  const line = stdlibOnlyPackagesLine(required, isolation);
  return PACKAGES_LINE.test(task)
    ? task.replace(PACKAGES_LINE, line)
    : `${task.trimEnd()}\n\n${line}\n`;
}

/**
 * A replay file may say which environment its program needs (`"environment": "stdlib-only"` beside
 * `responses`), so a stdlib program such as the page's demo runs without the packages by itself. The
 * field is read here and removed before the file reaches the replay model, whose schema is strict.
 */
const ReplayEnvironmentSchema = z
  .object({
    environment: PackagesChoiceSchema.optional(),
  })
  .passthrough();

export function splitReplayEnvironment(json: unknown): {
  replay: unknown;
  environment: PackagesChoice | undefined;
} {
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    return { replay: json, environment: undefined };
  }
  const parsed = ReplayEnvironmentSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `the replay file's "environment" must be "full" or "stdlib-only": ${z.prettifyError(parsed.error)}`,
    );
  }
  const { environment, ...replay } = parsed.data;
  return { replay, environment };
}
