// The run's data access: the per-run key, the served endpoint, and the project URLs it accepts.
import { AB_TEST_TABLE } from '@localds/benchmarks';
import { generateDataset } from '@localds/benchmarks';
import { containsSecret } from '@localds/scorer';
import { describe, expect, it } from 'vitest';
import {
  EMBEDDED_URL,
  projectOfTableUrl,
  projectUrl,
  randomAnonKey,
  serveRows,
} from '../src/run/index.js';

const rows = generateDataset('canonical');

describe('run data access', () => {
  it('gives every run a fresh JWT-shaped key that the redaction rules recognise', () => {
    const [a, b] = [randomAnonKey(), randomAnonKey()];
    expect(a).not.toBe(b);
    expect(a.split('.')).toHaveLength(3);
    expect(JSON.parse(atob(a.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')))).toMatchObject({
      role: 'anon',
    });
    expect(containsSecret(`print(${JSON.stringify(a)})`)).toBe(true);
  });

  it('serves the rows at <project>/rest/v1/<table> under the run key only', async () => {
    const key = randomAnonKey();
    const served = serveRows(rows, EMBEDDED_URL, AB_TEST_TABLE, key);
    expect(served.tableUrl).toBe('http://embedded.localds.invalid/rest/v1/posthog_events');
    expect(served.allowedPrefix).toBe('http://embedded.localds.invalid/rest/v1/');
    expect(JSON.parse(served.supabaseJson)).toEqual({
      url: `${served.tableUrl}?select=*`,
      headers: { apikey: key, Authorization: `Bearer ${key}` },
    });
    const ask = (apikey: string) =>
      served.fetchHandler({
        method: 'GET',
        url: `${served.tableUrl}?select=id&order=id&limit=2`,
        headers: { apikey, Prefer: 'count=exact' },
      });
    const ok = await ask(key);
    expect(ok.status).toBe(206);
    expect(JSON.parse(String(ok.body))).toEqual([{ id: rows[0]!.id }, { id: rows[1]!.id }]);
    expect(ok.headers['content-range']).toBe(`0-1/${rows.length}`);
    expect((await ask(randomAnonKey())).status).toBe(401);
  });

  it('serves under a project URL that has a path of its own', async () => {
    const key = randomAnonKey();
    const served = serveRows(rows, 'http://127.0.0.1:54321/proxy/', AB_TEST_TABLE, key);
    expect(served.tableUrl).toBe('http://127.0.0.1:54321/proxy/rest/v1/posthog_events');
    const answer = await served.fetchHandler({
      method: 'GET',
      url: `${served.tableUrl}?select=id&limit=1`,
      headers: { apikey: key },
    });
    expect(answer.status).toBe(200);
    expect(projectOfTableUrl(served.tableUrl)).toBe('http://127.0.0.1:54321/proxy');
  });

  it('refuses project URLs that are not plain http(s) project URLs', () => {
    expect(() => projectUrl('embedded')).toThrow(/is not a URL/);
    expect(() => projectUrl('ftp://x.test')).toThrow(/must be http\(s\)/);
    expect(() => projectUrl('http://x.test/?apikey=1')).toThrow(/no query/);
    expect(() => projectUrl('http://user:pw@x.test')).toThrow(/credentials/);
    expect(() => projectOfTableUrl('http://x.test/posthog_events')).toThrow(
      /not a Supabase table URL/,
    );
  });
});
