import { z } from 'zod';
import { gunzipSync, gzipSync, strFromU8, strToU8 } from 'fflate';
import type { Snapshot, SnapshotSource } from './run-json.js';

/** Lowercase hex sha256 (Web Crypto: the same in browsers and Node 20). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Packs the dataset JSON text (the `toJson` output the run was served) for run.json. `mtime: 0`
 * keeps the gzip bytes, and so run.json, identical for identical rows.
 */
export async function encodeSnapshot(
  jsonText: string,
  rowCount: number,
  source: SnapshotSource,
): Promise<Snapshot> {
  const bytes = strToU8(jsonText);
  return {
    encoding: 'gzip+base64',
    data: toBase64(gzipSync(bytes, { mtime: 0 })),
    sha256: await sha256Hex(bytes),
    row_count: rowCount,
    source,
  };
}

/** The snapshot's JSON text, after checking its hash. */
export async function decodeSnapshotText(snapshot: Snapshot): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = gunzipSync(fromBase64(snapshot.data));
  } catch (error) {
    throw new Error(`run.json data snapshot is not gzip+base64: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const hash = await sha256Hex(bytes);
  if (hash !== snapshot.sha256) {
    throw new Error(`run.json data snapshot sha256 is ${hash}, expected ${snapshot.sha256}`);
  }
  return strFromU8(bytes);
}

/**
 * The snapshot's rows, validated by the benchmark's row schema (which rejects, rather than drops, what
 * it does not know), with their count checked against `row_count`.
 */
export async function decodeSnapshotRows<Row>(
  snapshot: Snapshot,
  rowSchema: z.ZodType<Row>,
): Promise<Row[]> {
  const parsed = z.array(rowSchema).safeParse(JSON.parse(await decodeSnapshotText(snapshot)));
  if (!parsed.success) {
    throw new Error(`run.json data snapshot rows are invalid: ${parsed.error.issues[0]?.message}`);
  }
  if (parsed.data.length !== snapshot.row_count) {
    throw new Error(
      `run.json data snapshot has ${parsed.data.length} rows, row_count says ${snapshot.row_count}`,
    );
  }
  return parsed.data;
}
