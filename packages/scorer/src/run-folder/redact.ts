/**
 * Removes API keys from text imported into a run folder (notebooks, transcripts, prompts, logs).
 * Only values are replaced, never the names around them, so the article's evidence regexes
 * (which look for names such as `apikey` or `SUPABASE_URL`) judge the redacted text the same way.
 */
export const REDACTED = '[REDACTED]';

// A token-like literal: long, no spaces, with at least one digit and one letter. Identifiers such as
// SUPABASE_ANON_KEY (no digit) or f-string placeholders such as {key} (braces) are not secrets.
const TOKEN = String.raw`(?=[A-Za-z0-9._~+/=-]*\d)(?=[A-Za-z0-9._~+/=-]*[A-Za-z])[A-Za-z0-9._~+/-]{16,}=*`;

const SECRET_NAMES = String.raw`(?:x-)?api[_-]?key|anon[_-]?key|service[_-]?role(?:[_-]?key)?|supabase[_-]?(?:anon[_-]?|service[_-]?)?key|secret(?:[_-]?key)?|access[_-]?token|key|token|password`;

const PATTERNS: RegExp[] = [
  // JSON Web Tokens (Supabase legacy anon/service keys): header.payload.signature, both JSON objects.
  /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  // Supabase's new-style keys.
  /sb_(?:publishable|secret)_[A-Za-z0-9_-]+/g,
];

// `Bearer <token>` anywhere (Authorization headers, curl lines, logs).
const BEARER = new RegExp(String.raw`(\bBearer\s+)(${TOKEN})`, 'gi');
// `"apikey": "<token>"`, `apikey=<token>`, `apikey: <token>` (quoted or not, JSON, Python, HTTP, URLs),
// also with JSON-escaped quotes (`\"apikey\": \"<token>\"` inside a notebook's JSON text).
const QUOTE = String.raw`(?:\\?["'])?`;
const NAMED = new RegExp(
  String.raw`(\b(?:${SECRET_NAMES})${QUOTE}\s*[:=]\s*${QUOTE})(${TOKEN})`,
  'gi',
);

/** `text` with every key-looking value replaced by `[REDACTED]`. Idempotent. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const pattern of PATTERNS) out = out.replace(pattern, REDACTED);
  out = out.replace(BEARER, (_m, prefix: string) => prefix + REDACTED);
  out = out.replace(NAMED, (_m, prefix: string) => prefix + REDACTED);
  return out;
}

/** True when `text` still contains something `redactSecrets` would remove. */
export function containsSecret(text: string): boolean {
  return redactSecrets(text) !== text;
}
