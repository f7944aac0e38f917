// Model code's fetch() gets its answer as a Response, built the same way in the worker and the child.
// Isomorphic; the Response constructor is passed in so a host can use one captured before model code ran.
import type { SandboxResponse } from '../types.js';

/** The header a refused request's answer carries its reason in (see network.ts refuseRequest). */
export const BLOCKED_HEADER = 'x-localds-blocked';

/**
 * The status text of the harness's answer: for a refused request, the reason in words, so a client
 * that shows only the status line (requests' raise_for_status, urllib's HTTPError) still says why.
 */
export function statusTextOf(reply: SandboxResponse): string {
  const key = Object.keys(reply.headers).find((k) => k.toLowerCase() === BLOCKED_HEADER);
  const reason = key === undefined ? undefined : reply.headers[key];
  // A status line holds printable ASCII only.
  return reason ? `Forbidden: ${reason}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 500) : '';
}

/** The harness's answer as a Response for `url`: a status fetch cannot carry becomes 502. */
export function toFetchResponse(
  ResponseClass: typeof Response,
  reply: SandboxResponse,
  url: string,
): Response {
  const status = reply.status >= 200 && reply.status <= 599 ? reply.status : 502;
  const nullBody = status === 204 || status === 205 || status === 304;
  const response = new ResponseClass(nullBody ? null : reply.body, {
    status,
    statusText: statusTextOf(reply),
    headers: reply.headers,
  });
  Object.defineProperty(response, 'url', { value: url });
  return response;
}
