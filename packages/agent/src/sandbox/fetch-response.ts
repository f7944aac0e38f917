// Model code's fetch() gets its answer as a Response, built the same way in the worker and the child.
// Isomorphic; the Response constructor is passed in so a host can use one captured before model code ran.
import type { SandboxResponse } from './types.js';

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
    headers: reply.headers,
  });
  Object.defineProperty(response, 'url', { value: url });
  return response;
}
