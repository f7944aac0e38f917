import { describe, expect, it } from 'vitest';
import { containsSecret, redactSecrets } from '../src/run-folder/redact.js';

// A syntactically valid (unsigned-looking) JWT built here, so no real key is committed.
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const JWT = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"role":"anon","iss":"supabase"}')}.c2lnbmF0dXJlMTIz`;

describe('redactSecrets', () => {
  it('removes a JWT wherever it appears', () => {
    const text = `SUPABASE_KEY = "${JWT}"\nprint('${JWT}')`;
    const out = redactSecrets(text);
    expect(out).not.toContain('eyJ');
    expect(out).toBe(`SUPABASE_KEY = "[REDACTED]"\nprint('[REDACTED]')`);
  });

  it('removes sb_publishable_ and sb_secret_ keys', () => {
    const out = redactSecrets('k1=sb_publishable_AbC123_xyz k2: sb_secret_ZZ9-9');
    expect(out).toBe('k1=[REDACTED] k2: [REDACTED]');
  });

  it('removes apikey and Authorization header values in Python, JSON, HTTP and URLs', () => {
    const key = 'a1b2c3d4e5f6g7h8i9j0kLmN';
    expect(redactSecrets(`headers = {"apikey": "${key}", "Authorization": "Bearer ${key}"}`)).toBe(
      'headers = {"apikey": "[REDACTED]", "Authorization": "Bearer [REDACTED]"}',
    );
    expect(redactSecrets(`apikey: ${key}\r\nAuthorization: Bearer ${key}`)).toBe(
      'apikey: [REDACTED]\r\nAuthorization: Bearer [REDACTED]',
    );
    expect(redactSecrets(`https://x.supabase.co/rest/v1/t?select=*&apikey=${key}&limit=5`)).toBe(
      'https://x.supabase.co/rest/v1/t?select=*&apikey=[REDACTED]&limit=5',
    );
    expect(redactSecrets(`{"url": "https://x", "anon_key": "${key}"}`)).toBe(
      '{"url": "https://x", "anon_key": "[REDACTED]"}',
    );
  });

  it('keeps names, variables and placeholders that are not secrets', () => {
    const code = [
      'cfg = json.load(open("supabase.json"))',
      'headers = {"apikey": cfg["key"], "Authorization": f"Bearer {cfg[\'key\']}"}',
      'headers = {"apikey": SUPABASE_ANON_KEY}',
      'api_key = os.environ["SUPABASE_ANON_KEY"]',
      'df["key"] = "completion_rate"',
      'r = requests.get(f"{SUPABASE_URL}/rest/v1/posthog_events", headers=headers)',
    ].join('\n');
    expect(redactSecrets(code)).toBe(code);
    expect(containsSecret(code)).toBe(false);
  });

  it('is idempotent and reports what it would change', () => {
    const text = `Authorization: Bearer ${JWT}`;
    const once = redactSecrets(text);
    expect(redactSecrets(once)).toBe(once);
    expect(containsSecret(text)).toBe(true);
    expect(containsSecret(once)).toBe(false);
  });
});

describe('redactSecrets inside JSON-encoded text (notebooks, transcripts)', () => {
  it('removes values whose quotes are escaped', () => {
    const key = 'a1b2c3d4e5f6g7h8i9j0kLmN';
    const code = `headers = {"apikey": "${key}", "Authorization": "Bearer ${key}"}`;
    const notebookText = JSON.stringify({ cells: [{ cell_type: 'code', source: [code] }] });
    const out = redactSecrets(notebookText);
    expect(out).not.toContain(key);
    expect(JSON.parse(out).cells[0].source[0]).toBe(
      'headers = {"apikey": "[REDACTED]", "Authorization": "Bearer [REDACTED]"}',
    );
  });
});
