import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFront } from '../src/supabase/front.js';

const KEY = 'test-anon-key';

/** What the fake PostgREST saw of the last proxied request. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let upstream: Server;
let front: Server;
let frontUrl: string;
let seen: Seen | undefined;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

beforeAll(async () => {
  // A stand-in for PostgREST: records the request, answers like a paginated read.
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      res.writeHead(206, {
        'content-type': 'application/json; charset=utf-8',
        'content-range': '0-1/5',
        'x-upstream': 'yes',
        'access-control-allow-origin': 'http://upstream.example',
      });
      res.end('[{"id":1},{"id":2}]');
    });
  });
  const upstreamPort = await listen(upstream);
  front = createFront({ upstream: { host: '127.0.0.1', port: upstreamPort }, anonKey: KEY });
  frontUrl = `http://127.0.0.1:${await listen(front)}`;
});

afterAll(async () => {
  await new Promise((resolve) => front.close(resolve));
  await new Promise((resolve) => upstream.close(resolve));
});

async function call(path: string, init: RequestInit = {}) {
  seen = undefined;
  const response = await fetch(`${frontUrl}${path}`, init);
  return { response, text: await response.text() };
}

function expectCors(headers: Headers): void {
  expect(headers.get('access-control-allow-origin')).toBe('*');
  expect(headers.get('access-control-expose-headers')?.toLowerCase()).toContain('content-range');
}

describe('the front: API key rules', () => {
  it('refuses a request without a key with Supabase gateway body, never reaching PostgREST', async () => {
    const { response, text } = await call('/rest/v1/posthog_events?select=*');
    expect(response.status).toBe(401);
    expect(JSON.parse(text)).toEqual({
      message: 'No API key found in request',
      hint: 'No `apikey` request header or url param was found.',
    });
    expectCors(response.headers);
    expect(seen).toBeUndefined();
  });

  it('refuses a request carrying only a Bearer token the same way', async () => {
    const { response, text } = await call('/rest/v1/posthog_events', {
      headers: { Authorization: `Bearer ${KEY}` },
    });
    expect(response.status).toBe(401);
    expect(JSON.parse(text).message).toBe('No API key found in request');
    expect(seen).toBeUndefined();
  });

  it('refuses a wrong key with the invalid-key body', async () => {
    const { response, text } = await call('/rest/v1/posthog_events', {
      headers: { apikey: 'not-the-key' },
    });
    expect(response.status).toBe(401);
    expect(JSON.parse(text)).toEqual({
      message: 'Invalid API key',
      hint: 'Double check your Supabase `anon` or `service_role` API key.',
    });
    expectCors(response.headers);
    expect(seen).toBeUndefined();
  });

  it('proxies a keyed request to PostgREST root, adding the Bearer token and dropping apikey', async () => {
    const { response, text } = await call(
      '/rest/v1/posthog_events?select=*&event=eq.puzzle_started',
      {
        headers: { apikey: KEY },
      },
    );
    expect(response.status).toBe(206);
    expect(text).toBe('[{"id":1},{"id":2}]');
    expect(seen?.url).toBe('/posthog_events?select=*&event=eq.puzzle_started');
    expect(seen?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen?.headers.apikey).toBeUndefined();
  });

  it('accepts the key as a query parameter and strips only that parameter, bytes intact', async () => {
    const { response } = await call(
      `/rest/v1/posthog_events?select=*&apikey=${KEY}&or=(id.eq.1,id.eq.2)&order=id`,
    );
    expect(response.status).toBe(206);
    expect(seen?.url).toBe('/posthog_events?select=*&or=(id.eq.1,id.eq.2)&order=id');
  });

  it('keeps an Authorization header the client sent', async () => {
    await call('/rest/v1/posthog_events', {
      headers: { apikey: KEY, Authorization: 'Bearer user-token' },
    });
    expect(seen?.headers.authorization).toBe('Bearer user-token');
  });

  it('maps /rest/v1 and /rest/v1/ to PostgREST root', async () => {
    await call('/rest/v1', { headers: { apikey: KEY } });
    expect(seen?.url).toBe('/');
    await call('/rest/v1/', { headers: { apikey: KEY } });
    expect(seen?.url).toBe('/');
  });

  it('streams a request body through with its method', async () => {
    await call('/rest/v1/posthog_events', {
      method: 'POST',
      headers: { apikey: KEY, 'content-type': 'application/json' },
      body: '{"id":3}',
    });
    expect(seen).toMatchObject({ method: 'POST', body: '{"id":3}' });
  });
});

describe('the front: responses and CORS', () => {
  it("keeps PostgREST's status and headers, replacing its CORS headers with the gateway's", async () => {
    const { response } = await call('/rest/v1/posthog_events', { headers: { apikey: KEY } });
    expect(response.headers.get('content-range')).toBe('0-1/5');
    expect(response.headers.get('x-upstream')).toBe('yes');
    expectCors(response.headers);
  });

  it('answers a preflight without a key, allowing the headers Supabase clients send', async () => {
    const { response } = await call('/rest/v1/posthog_events?select=*', {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'apikey, authorization, x-custom-thing',
      },
    });
    expect([200, 204]).toContain(response.status);
    expect(seen).toBeUndefined();
    expectCors(response.headers);
    const allowed = response.headers.get('access-control-allow-headers')?.toLowerCase().split(',');
    for (const header of [
      'apikey',
      'authorization',
      'x-client-info',
      'content-type',
      'range',
      'prefer',
      'accept-profile',
      'content-profile',
      'x-custom-thing',
    ]) {
      expect(allowed).toContain(header);
    }
    expect(response.headers.get('access-control-allow-methods')).toContain('GET');
  });

  it('answers paths outside /rest/v1 with a JSON 404', async () => {
    for (const path of ['/', '/auth/v1/user', '/rest/v10/x', '/posthog_events']) {
      const { response, text } = await call(path, { headers: { apikey: KEY } });
      expect(response.status).toBe(404);
      expect(JSON.parse(text)).toHaveProperty('message');
      expectCors(response.headers);
    }
    expect(seen).toBeUndefined();
  });

  it('answers 502 with CORS when PostgREST is unreachable', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const orphan = createFront({ upstream: { host: '127.0.0.1', port }, anonKey: KEY });
    const orphanPort = await listen(orphan);
    const response = await fetch(`http://127.0.0.1:${orphanPort}/rest/v1/t`, {
      headers: { apikey: KEY },
    });
    expect(response.status).toBe(502);
    expectCors(response.headers);
    await new Promise((resolve) => orphan.close(resolve));
  });
});
