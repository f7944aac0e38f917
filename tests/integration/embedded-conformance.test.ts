import { AB_TEST_TABLE } from '@localds/benchmarks';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioName, generateDataset } from '@localds/benchmarks';
import { createEmbeddedEndpoint } from '../../packages/agent/src/data/index.js';
import { type StartedStack, localds } from './helpers/stack.js';

/**
 * The embedded data endpoint against the real stack (PostgreSQL 15 + PostgREST 12.0.2 behind the
 * Supabase-shaped front): the same request goes to both, and the status, Content-Range, the
 * content-type family and the parsed body must agree. Error bodies must agree field by field
 * (code, message, details, hint); no case below needs an exemption, since the embedded endpoint
 * reproduces PostgREST's Parsec messages and PostgreSQL's wording for the errors it raises.
 * Rows are compared after parsing, so key order and float spelling are checked by the unit tests
 * (byte-exact), not here.
 */
const env = {
  LOCALDS_SUPABASE_ROOT: join(tmpdir(), `localds-conformance-${randomBytes(4).toString('hex')}`),
};

interface Case {
  name: string;
  query: string;
  headers?: Record<string, string>;
  method?: string;
  body?: string;
  /** How the key is sent; `header` unless stated. */
  key?: 'header' | 'param' | 'none' | 'wrong' | 'bearer-only';
}

/** Queries valid on any scenario's rows; ties in `order` are always broken by id. */
const CASES: Case[] = [
  { name: 'every row, table order', query: 'select=*' },
  { name: 'select list with alias', query: 'select=n:id,event,variant&order=id&limit=7' },
  { name: 'eq', query: 'select=id,event&event=eq.puzzle_completed' },
  { name: 'neq drops nulls', query: 'select=id,variant&variant=neq.A' },
  {
    name: 'gt on double precision',
    query: 'select=id,completion_time_seconds&completion_time_seconds=gt.6.5',
  },
  { name: 'gte on integer', query: 'select=id,correct_words_count&correct_words_count=gte.4' },
  { name: 'lt on bigint', query: 'select=id&id=lt.25' },
  {
    name: 'lte on timestamptz instants',
    query: 'select=id,timestamp&timestamp=lte.2026-09-02T00:00:00Z',
  },
  {
    name: 'timestamptz with offset',
    query: 'select=id&timestamp=gt.2026-09-20%2012:00:00%2B02:00&order=id&limit=40',
  },
  { name: 'like with *', query: 'select=id,event&event=like.*_re*' },
  { name: 'ilike', query: 'select=id,event&event=ilike.PUZZLE_F*' },
  { name: 'is.null', query: 'select=id,variant,session_id&variant=is.null' },
  { name: 'not.is.null with eq', query: 'select=id&session_id=not.is.null&event=eq.puzzle_failed' },
  {
    name: 'in with quoted element',
    query: 'select=id,variant&variant=in.(A,%22B%22)&order=id&limit=30',
  },
  { name: 'not.in', query: 'select=id,event&event=not.in.(puzzle_started,puzzle_completed)' },
  {
    name: 'text comparison in C collation',
    query: 'select=id,distinct_id&distinct_id=lt.1&order=distinct_id,id',
  },
  { name: 'or', query: 'select=id,variant,event&or=(variant.is.null,event.eq.puzzle_repeated)' },
  {
    name: 'and with nested or',
    query: 'select=id&and=(id.lt.200,or(variant.eq.A,completion_time_seconds.lt.3))',
  },
  { name: 'not.or', query: 'select=id&not.or=(variant.eq.A,variant.eq.B)' },
  {
    name: 'or with not.and inside',
    query: 'select=id&or=(id.eq.1,not.and(id.gt.3,id.lt.800))&order=id.desc',
  },
  {
    name: 'order desc with nulls first',
    query: 'select=id,completion_time_seconds&order=completion_time_seconds.desc,id&limit=12',
  },
  {
    name: 'order asc nullsfirst, two terms',
    query: 'select=id,variant&order=variant.asc.nullsfirst,id.desc&limit=15',
  },
  {
    name: 'order by timestamp',
    query: 'select=id,timestamp&order=timestamp.desc,id&offset=3&limit=5',
  },
  { name: 'limit and offset', query: 'select=id&limit=5&offset=10' },
  { name: 'limit=abc is ignored', query: 'select=id&limit=abc' },
  { name: 'Range header', query: 'select=id', headers: { Range: '5-9' } },
  { name: 'Range with limit', query: 'select=id&limit=3', headers: { Range: '2-4' } },
  {
    name: 'Range with Range-Unit',
    query: 'select=id',
    headers: { Range: '0-2', 'Range-Unit': 'items' },
  },
  { name: 'open Range past the cap', query: 'select=id', headers: { Range: '10-' } },
  { name: 'count=exact, partial', query: 'select=id&limit=5', headers: { Prefer: 'count=exact' } },
  {
    name: 'count=exact, filtered and complete',
    query: 'select=id&variant=is.null',
    headers: { Prefer: 'count=exact' },
  },
  { name: 'count=exact, empty', query: 'select=id&id=lt.0', headers: { Prefer: 'count=exact' } },
  {
    name: 'count=exact, offset past the end',
    query: 'select=id&offset=99999',
    headers: { Prefer: 'count=exact' },
  },
  { name: 'count=exact with the cap', query: 'select=id', headers: { Prefer: 'count=exact' } },
  { name: 'empty result', query: 'select=id&event=eq.nothing' },
  { name: 'limit=0', query: 'select=id&limit=0' },
  { name: 'cap after offset', query: 'select=id&offset=500' },
  { name: 'HEAD', query: 'select=id&limit=3', method: 'HEAD' },
  {
    name: 'CSV',
    query: 'select=id,timestamp,completion_time_seconds,variant&order=id&limit=20',
    headers: { Accept: 'text/csv' },
  },
  { name: 'unknown column in select', query: 'select=id,evnt' },
  { name: 'unknown column in a filter', query: 'select=id&nope=eq.1' },
  { name: 'unknown operator', query: 'select=id&id=foo.1' },
  { name: 'unterminated or', query: 'select=id&or=(id.eq.1' },
  { name: 'bad order direction', query: 'select=id&order=id.sideways' },
  { name: 'invalid bigint literal', query: 'select=id&id=eq.abc' },
  { name: 'invalid timestamptz literal', query: 'select=id&timestamp=gt.yesterdayish' },
  { name: 'like on a bigint', query: 'select=id&id=like.1*' },
  { name: 'negative limit', query: 'select=id&limit=-1' },
  { name: 'inverted Range', query: 'select=id', headers: { Range: '9-2' } },
  { name: 'aggregate refused', query: 'select=count()' },
  {
    name: 'POST refused for the read-only role',
    query: '',
    method: 'POST',
    body: '{"id":1}',
    headers: { 'Content-Type': 'application/json' },
  },
  { name: 'DELETE refused', query: 'id=eq.1', method: 'DELETE' },
  {
    name: 'select with ::text casts',
    query: 'select=id::text,timestamp::text,completion_time_seconds::text&order=id&limit=30',
  },
  {
    name: 'eq(any) with an array literal',
    query: 'select=id,variant&variant=eq(any).%7BA,NULL%7D&limit=9',
  },
  {
    name: 'single object',
    query: 'select=id,event&id=eq.3',
    headers: { Accept: 'application/vnd.pgrst.object+json' },
  },
  { name: 'unsupported media type', query: 'select=id', headers: { Accept: 'text/html' } },
  {
    name: 'strict preferences',
    query: 'select=id',
    headers: { Prefer: 'handling=strict, count=bogus' },
  },
  {
    name: 'a Bearer token that is not the key',
    query: 'select=id',
    headers: { Authorization: 'Bearer not.a.jwt' },
  },
  { name: 'filter on an embedded resource', query: 'select=id&session_id.x=eq.1' },
  { name: 'key as query parameter', query: 'select=id&limit=2', key: 'param' },
  { name: 'no key', query: 'select=id', key: 'none' },
  { name: 'wrong key', query: 'select=id', key: 'wrong' },
  { name: 'Bearer token without apikey', query: 'select=id', key: 'bearer-only' },
];

interface Answer {
  status: number;
  contentRange: string | null;
  contentType: string | null;
  body: unknown;
}

function requestFor(c: Case, anonKey: string): { url: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { ...c.headers };
  let query = c.query;
  switch (c.key ?? 'header') {
    case 'header':
      headers.apikey = anonKey;
      break;
    case 'param':
      query = `${query}&apikey=${anonKey}`;
      break;
    case 'wrong':
      headers.apikey = `${anonKey}x`;
      break;
    case 'bearer-only':
      headers.Authorization = `Bearer ${anonKey}`;
      break;
    case 'none':
      break;
  }
  return { url: `/rest/v1/posthog_events?${query}`, headers };
}

function answer(status: number, headers: (name: string) => string | null, text: string): Answer {
  const contentType = headers('content-type');
  let body: unknown = text;
  if (contentType?.startsWith('application/json') && text !== '') body = JSON.parse(text);
  return {
    status,
    contentRange: headers('content-range'),
    contentType: contentType?.split(';')[0] ?? null,
    body,
  };
}

interface Stacked {
  stack: StartedStack;
  embedded: ReturnType<typeof createEmbeddedEndpoint>;
}

async function start(scenario: ScenarioName): Promise<Stacked> {
  const result = await localds(
    ['supabase', 'start', '--json', '--scenario', scenario, '--no-supabase-json'],
    env,
  );
  if (result.code !== 0) throw new Error(`supabase start failed:\n${result.stderr}`);
  const stack = JSON.parse(result.stdout) as StartedStack;
  const embedded = createEmbeddedEndpoint({
    rows: generateDataset(scenario),
    table: AB_TEST_TABLE,
    apiKey: stack.anonKey,
  });
  return { stack, embedded };
}

const stacks = new Map<ScenarioName, Stacked>();
const SCENARIOS: ScenarioName[] = ['canonical', 'large-paginated'];

beforeAll(async () => {
  process.env.LOCALDS_SUPABASE_ROOT = env.LOCALDS_SUPABASE_ROOT;
  const started = await Promise.all(SCENARIOS.map(start));
  SCENARIOS.forEach((s, i) => stacks.set(s, started[i] as Stacked));
}, 90_000);

afterAll(async () => {
  await localds(['supabase', 'stop', '--all'], env);
  await rm(env.LOCALDS_SUPABASE_ROOT, { recursive: true, force: true });
}, 30_000);

describe.each(SCENARIOS)('embedded endpoint vs the real stack (%s)', (scenario) => {
  it.each(CASES)('$name', async (c) => {
    const { stack, embedded } = stacks.get(scenario) as Stacked;
    const { url, headers } = requestFor(c, stack.anonKey);
    const method = c.method ?? 'GET';
    const init: RequestInit = { method, headers };
    if (c.body !== undefined) init.body = c.body;
    const realResponse = await fetch(`${stack.url}${url}`, init);
    const real = answer(
      realResponse.status,
      (n) => realResponse.headers.get(n),
      await realResponse.text(),
    );
    const ours = embedded.handle({
      method,
      url,
      headers,
      ...(c.body === undefined ? {} : { body: c.body }),
    });
    const mine = answer(ours.status, (n) => ours.headers[n] ?? null, ours.body);
    expect(mine).toEqual(real);
  });
});
