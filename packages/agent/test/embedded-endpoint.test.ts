/**
 * The embedded endpoint's gateway rules, its fetch adapter, its input validation, and the
 * PostgreSQL output/input rules it reimplements. Expected texts were printed by PostgreSQL 15
 * (`to_json(v::float8)`, `v::timestamptz` under TimeZone UTC) or are the strings of the local
 * stack's front (packages/cli/src/supabase/front.ts).
 */
import { AB_TEST_TABLE } from '@localds/benchmarks';
import { describe, expect, it } from 'vitest';
import { generateDataset } from '@localds/benchmarks';
import { createEmbeddedEndpoint, toFetch, isUnderBase } from '../src/data/index.js';
import { formatDouble, formatInstant, parseTimestamptz } from '../src/data/pg-types.js';

const KEY = 'anon-key-for-tests';
const rows = generateDataset('canonical');
const { handle } = createEmbeddedEndpoint({ rows, table: AB_TEST_TABLE, apiKey: KEY });
const get = (url: string, headers: Record<string, string> = {}) =>
  handle({ method: 'GET', url, headers });

describe('the gateway key rule', () => {
  it('refuses a request without a key with the gateway body', () => {
    const r = get('/rest/v1/posthog_events?select=id');
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toEqual({
      message: 'No API key found in request',
      hint: 'No `apikey` request header or url param was found.',
    });
  });

  it('refuses a Bearer token alone, as Supabase does', () => {
    const r = get('/rest/v1/posthog_events?select=id', { Authorization: `Bearer ${KEY}` });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).message).toBe('No API key found in request');
  });

  it('refuses a wrong key', () => {
    const r = get('/rest/v1/posthog_events?select=id', { apikey: 'nope' });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toEqual({
      message: 'Invalid API key',
      hint: 'Double check your Supabase `anon` or `service_role` API key.',
    });
  });

  it('accepts the key as a query parameter and does not treat it as a filter', () => {
    const r = get(`/rest/v1/posthog_events?select=id&limit=2&apikey=${KEY}`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('prefers the header over the query parameter', () => {
    const r = get(`/rest/v1/posthog_events?select=id&apikey=${KEY}`, { apikey: 'wrong' });
    expect(r.status).toBe(401);
  });

  it('answers paths outside /rest/v1 like the gateway, before the key', () => {
    const r = get('/auth/v1/user');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toEqual({ message: 'no Route matched with those values' });
  });

  it('answers an unknown table as PostgREST does', () => {
    const r = get('/rest/v1/nope?select=id', { apikey: KEY });
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toMatchObject({
      code: '42P01',
      message: 'relation "public.nope" does not exist',
    });
  });

  it('answers a CORS preflight without a key', () => {
    const r = handle({ method: 'OPTIONS', url: '/rest/v1/posthog_events', headers: {} });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['access-control-expose-headers']).toContain('Content-Range');
  });
});

describe('pages and the cap', () => {
  const large = generateDataset('large-paginated');
  const endpoint = createEmbeddedEndpoint({ rows: large, table: AB_TEST_TABLE, apiKey: KEY });
  const page = (range: string) =>
    endpoint.handle({
      method: 'GET',
      url: '/rest/v1/posthog_events?select=id&order=id',
      headers: { apikey: KEY, Range: range, Prefer: 'count=exact' },
    });

  it('caps an unbounded read at 1000 rows and says so with 206 and the total', () => {
    const r = endpoint.handle({
      method: 'GET',
      url: '/rest/v1/posthog_events?select=id',
      headers: { apikey: KEY, Prefer: 'count=exact' },
    });
    expect(large.length).toBeGreaterThan(1000);
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe(`0-999/${large.length}`);
    expect(JSON.parse(r.body)).toHaveLength(1000);
  });

  it('pages through every row with Range, in id order, without gaps', () => {
    const ids: number[] = [];
    for (let from = 0; from < large.length; from += 1000) {
      const r = page(`${from}-${from + 999}`);
      ids.push(...(JSON.parse(r.body) as { id: number }[]).map((x) => x.id));
    }
    expect(ids).toEqual(large.map((r) => r.id));
  });
});

describe('toFetch', () => {
  const base = 'http://127.0.0.1:54321';
  const fetchEmbedded = toFetch(handle, base);

  it('serves Request → Response under the project URL', async () => {
    const response = await fetchEmbedded(`${base}/rest/v1/posthog_events?select=id,event&limit=3`, {
      headers: { apikey: KEY, Prefer: 'count=exact' },
    });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`0-2/${rows.length}`);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual(rows.slice(0, 3).map(({ id, event }) => ({ id, event })));
  });

  it('sends no body for HEAD', async () => {
    const response = await fetchEmbedded(
      new Request(`${base}/rest/v1/posthog_events?select=id`, {
        method: 'HEAD',
        headers: { apikey: KEY },
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('passes a write body on, and the write is refused for the read-only role', async () => {
    const url = `${base}/rest/v1/posthog_events`;
    const headers = { apikey: KEY, 'Content-Type': 'application/json' };
    const refused = await fetchEmbedded(url, { method: 'POST', headers, body: '{"id":1}' });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { code: string }).code).toBe('42501');
    const empty = await fetchEmbedded(url, { method: 'POST', headers });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { message: string }).message).toBe('Empty or invalid json');
  });

  it('refuses other origins like an unreachable host', async () => {
    await expect(fetchEmbedded('http://example.com/rest/v1/posthog_events')).rejects.toThrow(
      TypeError,
    );
    expect(isUnderBase(base, 'http://127.0.0.1:54322/rest/v1/x')).toBe(false);
    expect(isUnderBase(`${base}/project`, `${base}/projectx/rest/v1`)).toBe(false);
    expect(isUnderBase(`${base}/project`, `${base}/project/rest/v1/x`)).toBe(true);
  });
});

describe('input validation', () => {
  it('rejects rows that do not fit the table, naming the row', () => {
    const bad = [{ ...rows[0], id: 'one' }];
    expect(() => createEmbeddedEndpoint({ rows: bad, table: AB_TEST_TABLE, apiKey: KEY })).toThrow(
      /row 0 does not fit posthog_events/,
    );
  });

  it('rejects an unparsable timestamp in the rows', () => {
    const bad = [{ ...rows[0], timestamp: 'last tuesday' }];
    expect(() => createEmbeddedEndpoint({ rows: bad, table: AB_TEST_TABLE, apiKey: KEY })).toThrow(
      /row 0 of posthog_events/,
    );
  });

  it("serves any benchmark's table from its declared columns", () => {
    const endpoint = createEmbeddedEndpoint({
      rows: [
        { k: 'a', n: 2 },
        { k: 'b', n: 1 },
      ],
      apiKey: KEY,
      table: {
        name: 'other',
        columns: [
          { name: 'k', sql: 'text' },
          { name: 'n', sql: 'integer' },
        ],
      },
    });
    const r = endpoint.handle({
      method: 'GET',
      url: '/rest/v1/other?order=n',
      headers: { apikey: KEY },
    });
    expect(r.body).toBe('[{"k":"b","n":1}, \n {"k":"a","n":2}]');
  });
});

describe('PostgreSQL output and input rules', () => {
  it('prints float8 as PostgreSQL 15 does', () => {
    const values = [
      1e-7,
      0.0001,
      0.00012345,
      5.5,
      9,
      123456789.123,
      1e15,
      1.5e15,
      999999999999999,
      1e21,
      -0.5,
      0.3,
      1 / 3,
      -1e-10,
      1.2345678901234567e19,
    ];
    const printed =
      '1e-07 0.0001 0.00012345 5.5 9 123456789.123 1e+15 1.5e+15 999999999999999 1e+21 -0.5 0.3 0.3333333333333333 -1e-10 1.2345678901234567e+19';
    expect(values.map(formatDouble).join(' ')).toBe(printed);
  });

  it('reads timestamptz literals and prints them as PostgreSQL does under UTC', () => {
    const inputs = [
      '2026-10-01',
      '2026-10-01 9:5',
      '2026-10-01T09:15:02.1234567Z',
      '2026-10-01 09:00 +0530',
      '2026-10-01+02',
      '2026-10-01T24:00:00',
      '2026-10-01 09:00:60',
      '20261001',
      '2026/10/01 10:00 UTC',
      '2028-02-29 23:59:59.999999-01:30',
    ];
    const printed = [
      '2026-10-01T00:00:00+00:00|2026-10-01 00:00:00+00',
      '2026-10-01T09:05:00+00:00|2026-10-01 09:05:00+00',
      '2026-10-01T09:15:02.123457+00:00|2026-10-01 09:15:02.123457+00',
      '2026-10-01T03:30:00+00:00|2026-10-01 03:30:00+00',
      '2026-09-30T22:00:00+00:00|2026-09-30 22:00:00+00',
      '2026-10-02T00:00:00+00:00|2026-10-02 00:00:00+00',
      '2026-10-01T09:01:00+00:00|2026-10-01 09:01:00+00',
      '2026-10-01T00:00:00+00:00|2026-10-01 00:00:00+00',
      '2026-10-01T10:00:00+00:00|2026-10-01 10:00:00+00',
      '2028-03-01T01:29:59.999999+00:00|2028-03-01 01:29:59.999999+00',
    ];
    expect(
      inputs.map((i) => {
        const t = parseTimestamptz(i);
        return `${formatInstant(t, 'json')}|${formatInstant(t, 'text')}`;
      }),
    ).toEqual(printed);
  });

  it('renders the dataset exactly as the rows were given (PostgREST timestamps round-trip)', () => {
    const r = get('/rest/v1/posthog_events?select=*', { apikey: KEY });
    expect(JSON.parse(r.body)).toEqual(rows);
  });
});
