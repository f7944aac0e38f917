// The two ways the harness stops a cell from outside: its time limit and the caller's AbortSignal.
// Isomorphic; each level decides what stopping means (KeyboardInterrupt first, or a fresh kernel).

export type StopReason = 'timeout' | 'interrupted';

/**
 * Calls `stop('timeout')` once `timeoutMs` has passed and `stop('interrupted')` when `signal` aborts
 * (at once if it already has). Returns the cleanup that cancels both, to call when the cell has ended.
 */
export function watchCellLimits(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  stop: (why: StopReason) => void,
): () => void {
  const timer = setTimeout(() => stop('timeout'), timeoutMs);
  const onAbort = () => stop('interrupted');
  if (signal) {
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
  }
  return () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
}
