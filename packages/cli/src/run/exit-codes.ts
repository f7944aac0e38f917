// The exit codes of `localds run`, for scripts that run many runs. A run the model finished is 0
// whatever it scored; a model error and an environment failure each have their own code; an interrupt
// exits with the shell's 128 + signal number.
import type { VisualEndReason } from '@localds/agent';
import { isEnvironmentFailure, type EndReason } from '@localds/scorer';

export const EXIT = {
  /** the model finished its run (done, no_code_outputs_present, model_exhausted, budget_*) */
  finished: 0,
  /** a usage or input error of the CLI */
  usage: 1,
  model_error: 3,
  /** environment_error, sandbox_error, harness_error, interrupted */
  environment: 4,
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
} as const;

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/**
 * A trial's (or a visual run's) exit code; `aborted` takes the code of the signal that stopped it
 * (SIGINT by default).
 */
export function exitCodeFor(
  endReason: EndReason | VisualEndReason,
  signal: StopSignal | null,
): number {
  if (endReason === 'aborted') return EXIT[signal ?? 'SIGINT'];
  if (isEnvironmentFailure(endReason)) return EXIT.environment;
  if (endReason === 'model_error') return EXIT.model_error;
  return EXIT.finished;
}

// Worst first: an interrupt, then the environment, then the model, then a finished run.
const SEVERITY: number[] = [
  EXIT.SIGHUP,
  EXIT.SIGTERM,
  EXIT.SIGINT,
  EXIT.environment,
  EXIT.model_error,
  EXIT.finished,
];

/** With --trials N the worst class wins: interrupt > environment (4) > model error (3) > finished (0). */
export function worstExitCode(codes: readonly number[]): number {
  return SEVERITY.find((code) => codes.includes(code)) ?? EXIT.finished;
}
