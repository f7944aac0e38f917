// What a zip's central directory says about each entry's file type. fflate does not expose the
// entries' Unix modes, and a zip can hold symbolic links (their content is the target's path), FIFOs
// or devices: those are refused on import, as on disk, without reading them.
import type { RefusedFile } from '@localds/scorer';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const UNIX = 3;
const S_IFMT = 0o170000;
const TYPES: Record<number, string> = {
  0o120000: 'a symbolic link (not followed)',
  0o010000: 'a FIFO (not opened)',
  0o140000: 'a socket (not opened)',
  0o020000: 'a device (not opened)',
  0o060000: 'a device (not opened)',
};

/** Entries of `zip` whose Unix mode is not a regular file or folder, with why. Never throws. */
export function irregularZipEntries(zip: Uint8Array): RefusedFile[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return [];
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const refused: RefusedFile[] = [];
  const decoder = new TextDecoder();
  for (let n = 0; n < count && at + 46 <= zip.length; n++) {
    if (view.getUint32(at, true) !== CENTRAL) break;
    const host = view.getUint16(at + 4, true) >> 8;
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const mode = view.getUint32(at + 38, true) >>> 16;
    const name = decoder.decode(zip.subarray(at + 46, at + 46 + nameLength));
    const reason = host === UNIX ? TYPES[mode & S_IFMT] : undefined;
    if (reason) refused.push({ path: name, reason });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return refused;
}
