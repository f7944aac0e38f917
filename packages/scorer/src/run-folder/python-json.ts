/**
 * JSON parsing as Python's `json.loads` does it, which the article's scorer uses: it also accepts the
 * bare tokens NaN, Infinity and -Infinity (Python's json.dump writes them for float('nan') etc.).
 * A summary.json with `"srm_p_value": NaN` therefore parses there, and must parse here too.
 */

import { jsonNestingExceeds, RUN_FOLDER_LIMITS } from './limits.js';

const SENTINEL = '\u0000localds-nonfinite:';
const TOKENS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

export type PyJsonResult = { ok: true; value: unknown } | { ok: false; error: string };

/** Parses `text` like Python's json.loads; never throws. */
export function parsePythonJson(text: string): PyJsonResult {
  const { maxJsonDepth } = RUN_FOLDER_LIMITS;
  if (jsonNestingExceeds(text, maxJsonDepth)) {
    return { ok: false, error: `nested more than ${maxJsonDepth} levels deep (not read)` };
  }
  try {
    const value: unknown = JSON.parse(quoteNonFiniteTokens(text), (_key, v: unknown) =>
      typeof v === 'string' && v.startsWith(SENTINEL) ? TOKENS[v.slice(SENTINEL.length)] : v,
    );
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: engineIndependent(error) };
  }
}

/**
 * JSON.parse's message differs between JS engines (V8 in Chromium appends ` (line N column M)`,
 * Node 20's V8 does not), and the message lands in a scorecard detail that must read the same in
 * the page and the CLI: keep the part every engine shares.
 */
function engineIndependent(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/ \(line \d+ column \d+\)$/, '');
}

// Hand-written scan (no dependency parses Python's JSON dialect): replaces the bare tokens outside
// strings with sentinel strings that the reviver turns back into numbers.
function quoteNonFiniteTokens(text: string): string {
  if (!/NaN|Infinity/.test(text)) return text;
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    const token = ['-Infinity', 'Infinity', 'NaN'].find((t) => text.startsWith(t, i));
    if (!inString && token) {
      out += JSON.stringify(SENTINEL + token);
      i += token.length - 1;
      continue;
    }
    out += ch;
  }
  return out;
}
