// Model code's requests on their way into the trace. Isomorphic.
import { answerRequest } from './network.js';
import type { FetchHandler, RequestRecord, SandboxRequest, SandboxResponse } from './types.js';

/**
 * The requests not yet reported. A cell reports everything logged since the previous cell ended, so a
 * request made between cells (by a background task) is reported with the next one.
 */
export class RequestLog {
  private pending: RequestRecord[] = [];

  add(record: RequestRecord): void {
    this.pending.push(record);
  }

  /** Answers a request of model code through the allow-list and `fetchHandler` (network.ts), and logs it. */
  async answer(
    request: SandboxRequest,
    allowedUrlPrefixes: string[],
    fetchHandler: FetchHandler | undefined,
  ): Promise<SandboxResponse> {
    const { response, record } = await answerRequest(request, allowedUrlPrefixes, fetchHandler);
    this.add(record);
    return response;
  }

  /** Everything logged since the last take, in order; the log is empty afterwards. */
  take(): RequestRecord[] {
    return this.pending.splice(0);
  }
}
