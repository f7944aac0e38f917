import { sha256Hex } from '@localds/scorer';
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { z } from 'zod';
import { toBase64 } from './base64.js';

/**
 * Compact, checked payloads for URL fragments: JSON → {sha256, data} envelope → deflate → base64url.
 * The SHA-256 of the inner JSON text catches a link that was altered or cut short (it is an integrity
 * check, not a signature: whoever edits a link on purpose can recompute it).
 */

/** Longest payload accepted in a fragment, in characters (browsers and chat apps handle this well). */
export const MAX_FRAGMENT_CHARS = 32 * 1024;
/** Largest inflated payload accepted: a small link must not expand into megabytes. */
const MAX_INFLATED_BYTES = 1024 * 1024;

const EnvelopeSchema = z.object({
  v: z.literal(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  data: z.string(),
});

export class PayloadError extends Error {
  override name = 'PayloadError';
}

function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text))
    throw new PayloadError('it contains characters a link never has');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  let binary: string;
  try {
    binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  } catch {
    throw new PayloadError('it is not valid base64url (the link was altered or cut short)');
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Encodes a value; throws PayloadError when the result is longer than MAX_FRAGMENT_CHARS. */
export async function encodePayload(value: unknown): Promise<string> {
  const data = JSON.stringify(value);
  const envelope = JSON.stringify({ v: 1, sha256: await sha256Hex(strToU8(data)), data });
  const payload = toBase64Url(deflateSync(strToU8(envelope), { level: 9 }));
  if (payload.length > MAX_FRAGMENT_CHARS) {
    throw new PayloadError(
      `the link would be ${Math.ceil(payload.length / 1024)} KB, over the ${MAX_FRAGMENT_CHARS / 1024} KB cap`,
    );
  }
  return payload;
}

/** Decodes and checks a payload, then validates it with `schema`; every failure is a PayloadError. */
export async function decodePayload<T>(payload: string, schema: z.ZodType<T>): Promise<T> {
  if (payload.length > MAX_FRAGMENT_CHARS) {
    throw new PayloadError(
      `it is ${Math.ceil(payload.length / 1024)} KB, over the ${MAX_FRAGMENT_CHARS / 1024} KB cap for shared links`,
    );
  }
  let text: string;
  try {
    const inflated = inflateSync(fromBase64Url(payload));
    if (inflated.length > MAX_INFLATED_BYTES)
      throw new PayloadError('it expands to more than 1 MB');
    text = strFromU8(inflated);
  } catch (error) {
    if (error instanceof PayloadError) throw error;
    throw new PayloadError('it does not decompress (the link was altered or cut short)');
  }
  let envelope: z.infer<typeof EnvelopeSchema>;
  try {
    envelope = EnvelopeSchema.parse(JSON.parse(text));
  } catch {
    throw new PayloadError('its contents are not a localds payload (the link was altered)');
  }
  if ((await sha256Hex(strToU8(envelope.data))) !== envelope.sha256) {
    throw new PayloadError('its integrity check failed (the link was altered)');
  }
  let json: unknown;
  try {
    json = JSON.parse(envelope.data);
  } catch {
    throw new PayloadError('its data is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PayloadError(
      `its data does not have the expected shape (${issue?.path.join('.') || '(root)'}: ${issue?.message})`,
    );
  }
  return parsed.data;
}
