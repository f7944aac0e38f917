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
  for (let y = 0; y < outH; y++) {
    const y0 = Math.floor(y * scale);
    const y1 = Math.min(source.height, Math.max(y0 + 1, Math.floor((y + 1) * scale)));
    for (let x = 0; x < outW; x++) {
      const x0 = Math.floor(x * scale);
      const x1 = Math.min(source.width, Math.max(x0 + 1, Math.floor((x + 1) * scale)));
      const sum = [0, 0, 0];
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * source.width + sx) * 4;
          const alpha = source.data[i + 3]! / 255;
          // Composite onto white: transparent chart backgrounds stay white.
          for (let c = 0; c < 3; c++) sum[c]! += source.data[i + c]! * alpha + 255 * (1 - alpha);
        }
      }
      const count = (y1 - y0) * (x1 - x0);
      const o = (y * outW + x) * 4;
      for (let c = 0; c < 3; c++) out.data[o + c] = Math.round(sum[c]! / count);
      out.data[o + 3] = 255;
    }
  }
  const encoded = PNG.sync.write(out, { colorType: 2, deflateLevel: 9 });
  return `data:image/png;base64,${encoded.toString('base64')}`;
}
