// Model code's requests on their way into the trace. Isomorphic.
import type { RequestRecord } from '../types.js';

/**
 * The requests not yet reported. A cell reports everything logged since the previous cell ended, so a
 * request made between cells (by a background task) is reported with the next one.
 */
export class RequestLog {
  /** In request order; a slot without a record is still being worked out. */
  private slots: { record?: RequestRecord }[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  add(record: RequestRecord): void {
    this.slots.push({ record });
  }

  /**
   * Logs a record the harness is still working out (e.g. a live request's drift) in the request's
   * place; one that is not ready when its cell is taken is reported with the next cell.
   */
  track(record: Promise<RequestRecord>): void {
    const slot: { record?: RequestRecord } = {};
    this.slots.push(slot);
    const logged: Promise<void> = record
      .then(
        (r) => {
          if (this.slots.includes(slot)) slot.record = r;
          else this.add(r);
        },
        () => undefined,
      )
      .finally(() => this.inFlight.delete(logged));
    this.inFlight.add(logged);
  }

  /** Waits, at most `ms`, for the records still being worked out, so they join the cell that made them. */
  async settled(ms: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    await Promise.race([Promise.all(this.inFlight), late]);
    clearTimeout(timer);
  }

  /** Everything logged since the last take, in request order; the log is empty afterwards. */
  take(): RequestRecord[] {
    return this.slots.splice(0).flatMap((slot) => (slot.record ? [slot.record] : []));
  }
}
