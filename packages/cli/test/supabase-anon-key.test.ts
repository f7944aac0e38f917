import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signAnonKey } from '../src/supabase/anon-key.js';

describe('signAnonKey', () => {
  it('is an HS256 JWT for role anon whose signature verifies with the secret', () => {
    const secret = 'x'.repeat(40);
    const key = signAnonKey(secret, 1_700_000_000);
    const [header, payload, signature] = key.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({
      alg: 'HS256',
      typ: 'JWT',
    });
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    expect(claims).toMatchObject({ role: 'anon', iss: 'supabase', iat: 1_700_000_000 });
    expect(claims.exp).toBeGreaterThan(claims.iat);
    const expected = createHmac('sha256', secret)
      .update(`${header}.${payload}`)
      .digest('base64url');
    expect(signature).toBe(expected);
    expect(signAnonKey('y'.repeat(40), 1_700_000_000)).not.toBe(key);
  });
});
