import type { EndpointHandler } from './handler.js';

/** Whether `url` lies under the project's base URL (same origin, path prefix). */
export function isUnderBase(baseUrl: string, url: string): boolean {
  const base = new URL(baseUrl);
  const target = new URL(url);
  const prefix = base.pathname.replace(/\/$/, '');
  return (
    target.origin === base.origin &&
    (target.pathname === prefix || target.pathname.startsWith(`${prefix}/`))
  );
}

/**
 * A `fetch` that answers requests under `baseUrl` (the Supabase project URL) from the embedded
 * endpoint, so a sandbox's guarded fetch can route the run's data URL to it. Any other URL is
 * refused the way fetch refuses an unreachable host: a rejected promise with a TypeError.
 */
export function toFetch(
  handle: EndpointHandler,
  baseUrl: string,
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  const base = new URL(baseUrl);
  return async (input, init) => {
    const request = new Request(input, init);
    if (!isUnderBase(baseUrl, request.url))
      throw new TypeError(`fetch failed: ${request.url} is not served here`);
    const target = new URL(request.url);
    const prefix = base.pathname.replace(/\/$/, '');
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const method = request.method.toUpperCase();
    const body = method === 'GET' || method === 'HEAD' ? undefined : await request.text();
    const answer = handle({
      method: request.method,
      url: `${target.pathname.slice(prefix.length) || '/'}${target.search}`,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const empty = method === 'HEAD' || answer.status === 204;
    return new Response(empty ? null : answer.body, {
      status: answer.status,
      headers: answer.headers,
    });
  };
}
