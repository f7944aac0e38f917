// Model code's requests on their way into the trace. Isomorphic.
import type { RequestRecord } from './types.js';

/**
 * The requests not yet reported. A cell reports everything logged since the previous cell ended, so a
 * request made between cells (by a background task) is reported with the next one.
 */
export class RequestLog {
  private pending: RequestRecord[] = [];

  add(record: RequestRecord): void {
    this.pending.push(record);
  }

  /** Everything logged since the last take, in order; the log is empty afterwards. */
  take(): RequestRecord[] {
    return this.pending.splice(0);
  }
}
