// The sandbox's own data network (what the browser worker answers model code with): the snapshot,
// the allow-list, and live Supabase mode's forwarding, key swap and drift — sync and async alike.
import { AB_TEST_TABLE } from '@localds/benchmarks';
import { generateDataset } from '@localds/benchmarks';
import { describe, expect, it } from 'vitest';
import {
  createDataNetwork,
  describeDrift,
  type LiveTransport,
} from '../src/sandbox/data-network.js';
import type { SandboxRequest, SandboxResponse } from '../src/sandbox/types.js';

const rows = generateDataset('canonical');
const PROJECT = 'https://abc.supabase.test';
const RUN_KEY = 'run-key-0123456789';
const LIVE_KEY = 'live-key-9876543210';
const spec = { project: PROJECT, table: AB_TEST_TABLE, apiKey: RUN_KEY, rows };
const get = (query: string, headers: Record<string, string> = { apikey: RUN_KEY }) => ({
  method: 'GET',
  url: `${PROJECT}/rest/v1/posthog_events?${query}`,
  headers,
});

/** A live project that answers from `liveRows` under LIVE_KEY, and remembers what it was sent. */
function fakeLive(liveRows = rows): LiveTransport & { sent: SandboxRequest[] } {
  const live = createDataNetwork({ ...spec, apiKey: LIVE_KEY, rows: liveRows });
  const sent: SandboxRequest[] = [];
  const answer = (req: SandboxRequest): SandboxResponse => {
    sent.push(req);
    return live.snapshot(req);
  };
  return { sent, fetch: async (req) => answer(req), fetchSync: answer };
}

describe('data network: the snapshot', () => {
  it('answers the data URL synchronously and asynchronously alike, with the record', async () => {
    const network = createDataNetwork(spec);
    const req = get('select=id&limit=2&apikey=' + RUN_KEY);
    const sync = network.answerSync(req);
    const async = await network.answer(req);
    expect(sync.response).toEqual(async.response);
    expect(sync.response.status).toBe(200);
    expect(JSON.parse(String(sync.response.body))).toHaveLength(2);
    expect(sync.record()).toMatchObject({ status: 200, allowed: true, rowsReturned: 2 });
    expect(sync.record().url).not.toContain(RUN_KEY);
    expect(sync.record()).not.toHaveProperty('drift');
  });

  it('refuses anything outside <project>/rest/v1/ with a 403 that names what is allowed', () => {
    const network = createDataNetwork(spec);
    const { response, record } = network.answerSync({
      method: 'POST',
      url: 'https://abc.supabase.test.evil.example/rest/v1/posthog_events',
      headers: {},
    });
    expect(response.status).toBe(403);
    expect(String(response.body)).toContain(`${PROJECT}/rest/v1/`);
    expect(record()).toMatchObject({ method: 'POST', status: 403, allowed: false });
  });

  it('insists on a transport when given a live key', () => {
    expect(() => createDataNetwork({ ...spec, liveKey: LIVE_KEY })).toThrow(/transport/);
  });
});

describe('data network: live Supabase mode', () => {
  it('sends the project its own key in place of the run key, in headers and the query', () => {
    const live = fakeLive();
    const network = createDataNetwork({ ...spec, liveKey: LIVE_KEY }, live);
    const answered = network.answerSync(
      get(`select=id&limit=1&apikey=${RUN_KEY}`, {
        apikey: RUN_KEY,
        Authorization: `Bearer ${RUN_KEY}`,
      }),
    );
    expect(answered.response.status).toBe(200);
    expect(answered.record().drift).toBeNull();
    const [sent] = live.sent;
    expect(sent?.url).toContain(`apikey=${LIVE_KEY}`);
    expect(sent?.headers).toEqual({ apikey: LIVE_KEY, Authorization: `Bearer ${LIVE_KEY}` });
    expect(JSON.stringify({ ...answered, record: answered.record() })).not.toContain(LIVE_KEY);
  });

  it('answers a wrong key (401) and any write from the snapshot, and never forwards them', async () => {
    const live = fakeLive();
    const network = createDataNetwork({ ...spec, liveKey: LIVE_KEY }, live);
    const answered = await network.answer(get('select=id', { apikey: 'guess' }));
    expect(answered.response.status).toBe(401);
    const write = (method: string, body: string) =>
      network.answerSync({
        ...get('id=eq.1'),
        method,
        headers: { apikey: RUN_KEY, 'content-type': 'application/json' },
        body: new TextEncoder().encode(body),
      });
    // A malformed write gets PostgREST's 400, a well-formed one the read-only role's 401.
    expect(write('PATCH', 'not json').response.status).toBe(400);
    expect(write('DELETE', '').response.status).toBe(401);
    expect(live.sent).toEqual([]);
  });

  it('returns the live answer and records how it drifted from the snapshot', async () => {
    const network = createDataNetwork(
      { ...spec, rows: rows.slice(0, -2), liveKey: LIVE_KEY },
      fakeLive(),
    );
    const all = await network.answer(get('select=id'));
    expect(JSON.parse(String(all.response.body))).toHaveLength(rows.length);
    expect(all.record().drift).toBe(
      `${rows.length} rows live, ${rows.length - 2} from the snapshot`,
    );
    const counted = network.answerSync(
      get('select=id&limit=1', { apikey: RUN_KEY, prefer: 'count=exact' }),
    );
    expect(counted.record().drift).toBe(
      `the table holds ${rows.length} rows live, ${rows.length - 2} in the snapshot`,
    );
  });

  it('answers a project that cannot be reached with a 502 whose record holds no key', async () => {
    const failing: LiveTransport = {
      fetch: () => Promise.reject(new TypeError(`Failed to fetch ${PROJECT}?apikey=${LIVE_KEY}`)),
      fetchSync: () => {
        throw new Error(`NetworkError: ${LIVE_KEY}`);
      },
    };
    const network = createDataNetwork({ ...spec, liveKey: LIVE_KEY }, failing);
    for (const answered of [
      await network.answer(get('select=id')),
      network.answerSync(get('select=id')),
    ]) {
      expect(answered.response.status).toBe(502);
      expect(answered.record().error).toMatch(/Failed to fetch|NetworkError/);
      expect(JSON.stringify({ ...answered, record: answered.record() })).not.toContain(LIVE_KEY);
    }
  });
});

describe('describeDrift', () => {
  const json = (status: number, body: unknown, range?: string): SandboxResponse => ({
    status,
    headers: range ? { 'Content-Range': range } : {},
    body: JSON.stringify(body),
  });

  it('calls identical answers identical, whatever their formatting', () => {
    expect(
      describeDrift(json(200, [{ a: 1 }]), { status: 200, headers: {}, body: '[ {"a": 1} ]' }),
    ).toBeNull();
  });

  it('names a different status, total, row count or content', () => {
    expect(describeDrift(json(200, []), json(503, []))).toBe(
      'status 503 live, 200 from the snapshot',
    );
    expect(describeDrift(json(206, [1], '0-0/10'), json(206, [1], '0-0/12'))).toBe(
      'the table holds 12 rows live, 10 in the snapshot',
    );
    expect(describeDrift(json(200, [1, 2]), json(200, [1]))).toBe(
      '1 rows live, 2 from the snapshot',
    );
    expect(describeDrift(json(200, [{ a: 1 }]), json(200, [{ a: 2 }]))).toBe(
      'same status and row count, different content',
    );
  });
});
