import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { type CliResult, REPO_ROOT } from './stack.js';

const run = promisify(execFile);

/** Debian's interpreter, whose python3-pandas/-scipy/-matplotlib the reference solution runs on. */
export const DEBIAN_PYTHON = '/usr/bin/python3';
export const REFERENCE_RUNNER = resolve(
  REPO_ROOT,
  'packages/benchmarks/src/ab-test-analysis/reference/run_reference.py',
);

/** Runs Debian's python3 with these arguments from the repository root, never throwing on a non-zero exit. */
export async function debianPython(args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(DEBIAN_PYTHON, args, {
      cwd: REPO_ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof failure.code === 'number' ? failure.code : 1,
      stdout: failure.stdout ?? '',
      stderr: failure.stderr || failure.message,
    };
  }
}

export interface ReferenceRun {
  /** Seconds the notebook took to execute, as the runner measured it (kernel start included). */
  notebookSeconds: number;
  /** Wall-clock seconds of the whole runner process. */
  wallSeconds: number;
}

/**
 * Executes the reference notebook for real (run_reference.py on Debian's python3) against the
 * stack a supabase.json points at, writing the run folder to `outDir`. Rejects with the runner's
 * stderr (which names a missing package and the interpreter) when it fails.
 */
export async function runReference(supabaseJson: string, outDir: string): Promise<ReferenceRun> {
  const started = performance.now();
  const result = await debianPython([
    REFERENCE_RUNNER,
    '--supabase',
    supabaseJson,
    '--out',
    outDir,
  ]);
  if (result.code !== 0) throw new Error(`the reference runner failed:\n${result.stderr}`);
  const report: unknown = JSON.parse(result.stdout);
  const seconds =
    typeof report === 'object' && report !== null && 'notebookSeconds' in report
      ? report.notebookSeconds
      : undefined;
  if (typeof seconds !== 'number') {
    throw new Error(`the reference runner printed no notebookSeconds: ${result.stdout}`);
  }
  return { notebookSeconds: seconds, wallSeconds: (performance.now() - started) / 1000 };
}
