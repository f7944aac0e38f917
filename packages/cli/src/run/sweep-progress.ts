// The sweep's one progress line on stderr: how many trials of this shard are done, how many are
// running, and an estimate of the time left from the pace of the trials finished so far.

export interface SweepProgress {
  /** cells of this shard, finished before this invocation or by it */
  done: number;
  /** cells of this shard */
  total: number;
  running: number;
  /** trials this invocation finished, and the wall time since it started running them */
  finishedNow: number;
  elapsedMs: number;
}

/** `3 min`, `45 s`, `2 h 05 min`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * The time left at the wall-clock pace so far (which already reflects the concurrency): elapsed time
 * per finished trial times the trials left. Unknown until a trial has finished.
 */
export function estimateLeftMs(p: SweepProgress): number | null {
  if (p.finishedNow === 0) return null;
  return (p.elapsedMs / p.finishedNow) * (p.total - p.done);
}

export function formatProgress(p: SweepProgress): string {
  const left = estimateLeftMs(p);
  const eta =
    p.done === p.total
      ? 'all done'
      : left === null
        ? 'time left unknown until a trial finishes'
        : `about ${formatDuration(left)} left`;
  return `sweep: ${p.done}/${p.total} trials done, ${p.running} running, ${eta}`;
}
