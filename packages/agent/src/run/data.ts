// Data access for a run: the rows are served by the embedded endpoint from inside the sandbox's
// network layer, at the project URL the model sees in supabase.json, with a per-run key. Only the
// page's Supabase mode goes further: its worker forwards to the live project and records drift.
import type { TableSpec } from '@localds/benchmarks';
import type { DataRow } from '@localds/scorer';
import { z } from 'zod';
import { createDataNetwork, type DataEndpointSpec } from '../sandbox/data-network.js';
import type { FetchHandler } from '../sandbox/types.js';

/**
 * The project URL of embedded runs. `.invalid` is reserved (RFC 6761) and never resolves, so it reads
 * as "not a real server" to a human and cannot reach anyone if a request ever escaped the harness.
 */
export const EMBEDDED_URL = 'http://embedded.localds.invalid';

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * A fresh anon key for one run (or one re-execution). JWT-shaped like Supabase's anon keys, so
 * `redactSecrets` recognises it wherever model code copies it; never valid anywhere else.
 */
export function randomAnonKey(): string {
  const nonce = crypto.getRandomValues(new Uint8Array(16));
  const header = base64url(encoder.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
  const payload = base64url(
    encoder.encode(
      JSON.stringify({ iss: 'localds-embedded', role: 'anon', jti: base64url(nonce) }),
    ),
  );
  return `${header}.${payload}.${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** The project URL without a trailing slash, checked to be http(s). */
export function projectUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`the Supabase project URL ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`the Supabase project URL must be http(s), got ${parsed.protocol}`);
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new Error(
      'the Supabase project URL must be a plain project URL (no query, fragment or credentials)',
    );
  }
  return parsed.href.replace(/\/+$/, '');
}

/** The project URL a table URL (`<project>/rest/v1/<table>`) belongs to. */
export function projectOfTableUrl(tableUrl: string): string {
  const at = tableUrl.indexOf('/rest/v1/');
  if (at < 0)
    throw new Error(`${tableUrl} is not a Supabase table URL (<project>/rest/v1/<table>)`);
  return projectUrl(tableUrl.slice(0, at));
}

export interface ServedData {
  tableUrl: string;
  /** The only URL prefix model code may request. */
  allowedPrefix: string;
  /** The snapshot's answers, for sandboxes whose harness answers model code's requests. */
  fetchHandler: FetchHandler;
  /** The same endpoint as data, for sandboxes that serve it themselves (the browser worker). */
  spec: DataEndpointSpec;
  /** supabase.json as the task describes it; holds the key, so it never leaves the sandbox. */
  supabaseJson: string;
}

/**
 * Serves `rows` at `<project>/rest/v1/<table>` under `key`, for a sandbox's network layer. With
 * `liveKey` (the page's Supabase mode) a sandbox that serves the data itself forwards to the project.
 */
export function serveRows(
  rows: readonly DataRow[],
  project: string,
  table: TableSpec,
  key: string,
  liveKey?: string,
): ServedData {
  const base = projectUrl(project);
  const frozen: DataEndpointSpec = { project: base, table, apiKey: key, rows };
  const spec = liveKey === undefined ? frozen : { ...frozen, liveKey };
  const { snapshot, allowedPrefix } = createDataNetwork(frozen);
  const tableUrl = `${base}/rest/v1/${table.name}`;
  const supabaseJson = `${JSON.stringify(
    { url: `${tableUrl}?select=*`, headers: { apikey: key, Authorization: `Bearer ${key}` } },
    null,
    2,
  )}\n`;
  return {
    tableUrl,
    allowedPrefix,
    fetchHandler: async (req) => snapshot(req),
    spec,
    supabaseJson,
  };
}

type RealtimeTransport = NonNullable<
  NonNullable<Parameters<typeof import('@supabase/supabase-js').createClient>[2]>['realtime']
>['transport'];

class NoRealtime {
  constructor() {
    throw new Error('localds does not use Supabase Realtime');
  }
}

/** Rows per request when freezing a Supabase table (Supabase's default cap). */
const PAGE = 1000;

/**
 * Supabase mode: every row of `table`, fetched once with supabase-js (ordered by id, page by page)
 * and validated, to be frozen into the run's snapshot.
 */
export async function fetchSupabaseRows<Row extends DataRow>(
  url: string,
  key: string,
  table: string,
  rowSchema: z.ZodType<Row>,
  signal?: AbortSignal,
): Promise<Row[]> {
  const project = projectUrl(url);
  const { createClient } = await import('@supabase/supabase-js');
  const client = createClient(project, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // Only the REST API is used. A transport of our own keeps supabase-js from demanding a WebSocket
    // implementation at construction (Node 20 has none); it is never opened.
    realtime: { transport: NoRealtime as unknown as RealtimeTransport },
  });
  const rows: unknown[] = [];
  // Until an empty page, so a project whose row cap is below PAGE is still read to the end.
  for (;;) {
    const from = rows.length;
    let query = client
      .from(table)
      .select('*')
      .order('id', { ascending: true })
      .range(from, from + PAGE - 1);
    if (signal) query = query.abortSignal(signal);
    const { data, error } = await query;
    if (error) {
      throw new Error(`reading ${table} from ${project} failed: ${error.message}`);
    }
    if (!data?.length) break;
    rows.push(...data);
  }
  const parsed = z.array(rowSchema).safeParse(rows);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${table} at ${project} does not hold the benchmark's rows: ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
