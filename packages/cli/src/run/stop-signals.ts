// SIGINT, SIGTERM and SIGHUP all end a run the same way: the run stops, is written with end_reason
// `aborted`, and the process exits with 128 + the signal's number. A second signal exits at once
// (the sandboxes die with the process, and its temp directories are removed at exit).
import { EXIT, type StopSignal } from './exit-codes.js';

const SIGNALS: StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface StopSignals {
  /** The first signal received, or null. */
  readonly received: StopSignal | null;
  dispose(): void;
}

/** Routes the stop signals to `controller`; `warn` tells the user what is happening. */
export function handleStopSignals(
  controller: AbortController,
  warn: (line: string) => void,
): StopSignals {
  let received: StopSignal | null = null;
  const handlers = SIGNALS.map((name) => {
    const handler = () => {
      if (received) process.exit(EXIT[name]);
      received = name;
      if (name === 'SIGHUP') {
        // The terminal is gone: writing to it fails, which must not end the run before it is saved.
        process.stdout.on('error', () => undefined);
        process.stderr.on('error', () => undefined);
      }
      warn(
        `interrupted: stopping the run and writing what it did (${name}; a second signal quits at once)`,
      );
      controller.abort(new Error(name));
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    get received() {
      return received;
    },
    dispose() {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
