import { createHmac, randomBytes } from 'node:crypto';

/** Ten years, like the anon keys Supabase issues: the key lives exactly as long as its stack. */
const ANON_KEY_LIFETIME_SECONDS = 10 * 365 * 24 * 3600;

/** A fresh random secret for PostgREST's `jwt-secret` (PostgREST requires at least 32 characters). */
export function randomJwtSecret(): string {
  return randomBytes(32).toString('hex');
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/**
 * The stack's anon key: an HS256 JWT `{role: "anon", iss: "supabase", iat, exp}` signed with the
 * stack's secret, so PostgREST accepts it and switches to the `anon` role. Hand-written with
 * node:crypto because signing one fixed HS256 token is a dozen lines and needs no JWT library.
 */
export function signAnonKey(secret: string, issuedAtSeconds: number): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      role: 'anon',
      iss: 'supabase',
      iat: issuedAtSeconds,
      exp: issuedAtSeconds + ANON_KEY_LIFETIME_SECONDS,
    }),
  );
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
