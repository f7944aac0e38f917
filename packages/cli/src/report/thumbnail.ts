/**
 * Small inline copies of a run's charts, so a report of hundreds of runs stays a few megabytes: the
 * PNG is decoded (pngjs), shrunk by averaging boxes of pixels onto white, and re-encoded as RGB.
 */
import { PNG } from 'pngjs';

export const THUMBNAIL_WIDTH = 160;

/** A data: URL of the shrunk image, or null when the bytes are not a PNG pngjs can read. */
export function thumbnailDataUrl(bytes: Uint8Array, width = THUMBNAIL_WIDTH): string | null {
  let source: PNG;
  try {
    source = PNG.sync.read(Buffer.from(bytes));
  } catch {
    return null;
  }
  const scale = Math.max(1, source.width / width);
  const outW = Math.max(1, Math.round(source.width / scale));
  const outH = Math.max(1, Math.round(source.height / scale));
  const out = new PNG({ width: outW, height: outH, colorType: 2, inputColorType: 6 });
  // The output column of each source column, and how many source pixels fall in each output pixel.
  const column = new Uint32Array(source.width);
  for (let x = 0; x < source.width; x++) column[x] = Math.min(outW - 1, Math.floor(x / scale));
  const sums = new Float64Array(outW * 3);
  const counts = new Uint32Array(outW);
  const data = source.data;
  let sy = 0;
  for (let y = 0; y < outH; y++) {
    sums.fill(0);
    counts.fill(0);
    const end =
      y === outH - 1 ? source.height : Math.min(source.height, Math.floor((y + 1) * scale));
    for (; sy < end; sy++) {
      let i = sy * source.width * 4;
      for (let x = 0; x < source.width; x++, i += 4) {
        // Composite onto white, so transparent chart backgrounds stay white.
        const alpha = data[i + 3]! / 255;
        const white = 255 * (1 - alpha);
        const o = column[x]! * 3;
        sums[o]! += data[i]! * alpha + white;
        sums[o + 1]! += data[i + 1]! * alpha + white;
        sums[o + 2]! += data[i + 2]! * alpha + white;
        counts[column[x]!]!++;
      }
    }
    for (let x = 0; x < outW; x++) {
      const o = (y * outW + x) * 4;
      const n = Math.max(1, counts[x]!);
      out.data[o] = Math.round(sums[x * 3]! / n);
      out.data[o + 1] = Math.round(sums[x * 3 + 1]! / n);
      out.data[o + 2] = Math.round(sums[x * 3 + 2]! / n);
      out.data[o + 3] = 255;
    }
  }
  const encoded = PNG.sync.write(out, { colorType: 2, deflateLevel: 9 });
  return `data:image/png;base64,${encoded.toString('base64')}`;
}
