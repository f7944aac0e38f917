import { containsSecret } from './redact.js';
import { RunJsonSchema, type RunJson } from './run-json.js';

/**
 * run.json text: validated, two-space indented, newline-terminated. Refuses to produce text that
 * contains a key (a JWT, an sb_ key, an apikey/Bearer value): redact URLs and transcripts first.
 */
export function serializeRunJson(run: RunJson): string {
  return encodeRunJson(run).text;
}

/** serializeRunJson's text, with the checked object it is the JSON of (for a caller that keeps both). */
export function encodeRunJson(run: RunJson): { text: string; data: RunJson } {
  const parsed = RunJsonSchema.safeParse(run);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`run.json is invalid: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const text = `${JSON.stringify(parsed.data, null, 2)}\n`;
  if (containsSecret(text)) {
    throw new Error('run.json would contain a key; pass its text through redactSecrets first');
  }
  return { text, data: parsed.data };
}
