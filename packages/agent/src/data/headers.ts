/** The request headers PostgREST reads on a read: `Prefer`, `Accept`, `Authorization`. */
import { PostgrestError, notImplemented } from './errors.js';

type CountPreference = 'exact' | 'planned' | 'estimated';
interface Preferences {
  count?: CountPreference;
  applied: string[];
}
const KNOWN_PREFERENCES: Record<string, RegExp> = {
  return: /^(minimal|headers-only|representation)$/,
  count: /^(exact|planned|estimated)$/,
  resolution: /^(merge-duplicates|ignore-duplicates)$/,
  missing: /^(default|null)$/,
  handling: /^(strict|lenient)$/,
  tx: /^(commit|rollback)$/,
  timezone: /^.+$/,
};
const UTC_NAMES = ['utc', 'etc/utc', 'gmt', 'etc/gmt', 'zulu', 'z', 'universal'];

/** `Prefer`: count (planned and estimated are answered exactly here), handling=strict, timezone. */
export function preferences(header: string | undefined): Preferences {
  const items = (header ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const pairs = items.map((item) => {
    const [key = '', value = ''] = item.split('=').map((s) => s.trim());
    return { item, key, value, known: KNOWN_PREFERENCES[key]?.test(value) ?? false };
  });
  const first = (key: string) => pairs.find((p) => p.key === key && p.known)?.value;
  const strict = first('handling') === 'strict';
  const invalid = pairs.filter((p) => !p.known);
  if (strict && invalid.length > 0)
    throw new PostgrestError(
      400,
      'PGRST122',
      'Invalid preferences given with handling=strict',
      `Invalid preferences: ${invalid.map((p) => p.item).join(', ')}`,
    );
  const result: Preferences = { applied: [] };
  const count = first('count') as CountPreference | undefined;
  if (count) {
    result.count = count;
    result.applied.push(`count=${count}`);
  }
  const handling = first('handling');
  if (handling) result.applied.push(`handling=${handling}`);
  const timezone = first('timezone');
  if (timezone) {
    if (!UTC_NAMES.includes(timezone.toLowerCase()))
      throw notImplemented(`Prefer: timezone=${timezone} (only UTC)`);
    result.applied.push(`timezone=${timezone}`);
  }
  return result;
}

export type Format = 'json' | 'csv' | 'object';
/** The first acceptable media type of `Accept`; PostgREST answers 415 PGRST107 when none is. */
export function responseFormat(accept: string | undefined): Format {
  const types = (accept ?? '*/*')
    .split(',')
    .map((t) => t.split(';')[0]?.trim().toLowerCase() ?? '');
  for (const t of types) {
    if (t === '' || t === '*/*' || t === 'application/*' || t === 'application/json') return 'json';
    if (t === 'text/csv') return 'csv';
    if (t === 'application/vnd.pgrst.object+json' || t === 'application/vnd.pgrst.object')
      return 'object';
  }
  throw new PostgrestError(
    415,
    'PGRST107',
    `None of these media types are available: ${types.join(', ')}`,
  );
}

/** PostgREST rejects a Bearer token it cannot verify; the anon key itself is the only valid one here. */
export function checkAuthorization(header: string | undefined, apiKey: string): void {
  const m = /^Bearer\s+(\S.*)$/i.exec(header ?? '');
  if (!m || m[1] === apiKey) return;
  const parts = (m[1] ?? '').split('.');
  const base64url = (p: string) => /^[A-Za-z0-9_-]*$/.test(p) && p.length % 4 !== 1;
  let message = 'JWSError JWSInvalidSignature';
  if (parts.length !== 3)
    message = `JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got ${parts.length})`;
  else if (!parts.every(base64url)) message = 'JWSError (JSONDecodeError "Not valid base64url")';
  throw new PostgrestError(401, 'PGRST301', message, null, null, { 'www-authenticate': 'Bearer' });
}
