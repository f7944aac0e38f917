/**
 * PNG dimensions from the IHDR chunk. Hand-written: it is 24 fixed bytes (signature, chunk length,
 * "IHDR", width, height), not worth a dependency.
 */
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export type PngInfo = { ok: true; width: number; height: number } | { ok: false; error: string };

export function readPngSize(bytes: Uint8Array): PngInfo {
  if (bytes.length < 24) return { ok: false, error: `${bytes.length} bytes, too short for a PNG` };
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) return { ok: false, error: 'no PNG signature' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkLength = view.getUint32(8);
  const chunkType = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunkType !== 'IHDR' || chunkLength !== 13) {
    return { ok: false, error: 'first chunk is not a 13-byte IHDR' };
  }
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width === 0 || height === 0) return { ok: false, error: `zero size ${width}×${height}` };
  return { ok: true, width, height };
}
