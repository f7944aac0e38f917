// The pictures of a visual run: a contact sheet (every screenshot, in order, on one PNG) and an
// animated preview (an APNG of the same screenshots at their real 0.5 s pace). pngjs decodes and
// writes the sheet; @pdf-lib/upng (a maintained UPNG.js) encodes the APNG.
import upngExports from '@pdf-lib/upng';
import { PNG } from 'pngjs';

// The package is Babel-compiled CommonJS (`exports.default = UPNG`) while its types describe named
// exports: Node's default import is the exports object (UPNG is its `default`), a bundler's is UPNG.
const UPNG: typeof upngExports =
  'encode' in upngExports
    ? upngExports
    : (upngExports as unknown as { default: typeof upngExports }).default;

export interface ImageOptions {
  /** Widest a thumbnail (sheet) or preview frame may be, in pixels. Default 320. */
  maxWidth?: number;
  /** Thumbnails per row of the contact sheet. Default 5. */
  columns?: number;
  /** Milliseconds each preview frame shows. Default 500 (the screenshots' pace). */
  frameMs?: number;
}

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

const GAP = 4;
const BACKGROUND = [24, 24, 27, 255] as const;

function decode(png: Uint8Array): Rgba {
  const image = PNG.sync.read(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
  return { width: image.width, height: image.height, data: image.data };
}

/** Shrinks by a whole factor (the mean of each k×k block) so the result is at most `maxWidth` wide. */
function shrink(image: Rgba, maxWidth: number): Rgba {
  const k = Math.max(1, Math.ceil(image.width / maxWidth));
  if (k === 1) return image;
  const width = Math.floor(image.width / k);
  const height = Math.floor(image.height / k);
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sums = [0, 0, 0, 0];
      for (let dy = 0; dy < k; dy++) {
        const row = (y * k + dy) * image.width;
        for (let dx = 0; dx < k; dx++) {
          const i = (row + x * k + dx) * 4;
          for (let c = 0; c < 4; c++) sums[c]! += image.data[i + c]!;
        }
      }
      const o = (y * width + x) * 4;
      for (let c = 0; c < 4; c++) data[o + c] = Math.round(sums[c]! / (k * k));
    }
  }
  return { width, height, data };
}

/** The screenshots decoded and shrunk to one size (the first's; a stray size is skipped). */
function frames(pngs: readonly Uint8Array[], maxWidth: number): Rgba[] {
  if (!pngs.length) throw new Error('no screenshot to make pictures from');
  const shrunk = pngs.map((png) => shrink(decode(png), maxWidth));
  const { width, height } = shrunk[0]!;
  return shrunk.filter((f) => f.width === width && f.height === height);
}

/** Every screenshot in order, `columns` to a row, on a dark sheet: one PNG. */
export function contactSheet(pngs: readonly Uint8Array[], options: ImageOptions = {}): Uint8Array {
  const shots = frames(pngs, options.maxWidth ?? 320);
  const columns = Math.min(options.columns ?? 5, shots.length);
  const rows = Math.ceil(shots.length / columns);
  const { width: w, height: h } = shots[0]!;
  const sheet = new PNG({
    width: columns * w + (columns + 1) * GAP,
    height: rows * h + (rows + 1) * GAP,
  });
  for (let i = 0; i < sheet.data.length; i += 4) sheet.data.set(BACKGROUND, i);
  shots.forEach((shot, n) => {
    const left = GAP + (n % columns) * (w + GAP);
    const top = GAP + Math.floor(n / columns) * (h + GAP);
    for (let y = 0; y < h; y++) {
      const from = y * w * 4;
      sheet.data.set(shot.data.subarray(from, from + w * 4), ((top + y) * sheet.width + left) * 4);
    }
  });
  return new Uint8Array(PNG.sync.write(sheet));
}

/** The screenshots as an animated PNG that loops, each shown `frameMs`. */
export function animatedPreview(
  pngs: readonly Uint8Array[],
  options: ImageOptions = {},
): Uint8Array {
  const shots = frames(pngs, options.maxWidth ?? 320);
  const { width, height } = shots[0]!;
  const buffers = shots.map((s) => s.data.slice().buffer);
  // 256 colours: a preview, kept small; the contact sheet keeps the exact pixels.
  const apng = UPNG.encode(
    buffers,
    width,
    height,
    256,
    shots.map(() => options.frameMs ?? 500),
  );
  return new Uint8Array(apng);
}

/** Both pictures of a render, as a visual run folder holds them. */
export function renderImages(
  pngs: Uint8Array[],
): Promise<{ contactSheet: Uint8Array; preview: Uint8Array }> {
  return Promise.resolve({ contactSheet: contactSheet(pngs), preview: animatedPreview(pngs) });
}
