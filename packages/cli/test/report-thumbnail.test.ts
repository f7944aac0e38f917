// Report thumbnails: shrunk to the thumbnail width with the aspect kept, transparent pixels onto
// white, block averages for colour; bytes that are not a PNG give no thumbnail (the report says so).
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { THUMBNAIL_WIDTH, thumbnailDataUrl } from '../src/report/thumbnail.js';

function png(width: number, height: number, pixel: (x: number, y: number) => number[]): Uint8Array {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) image.data.set(pixel(x, y), (y * width + x) * 4);
  return new Uint8Array(PNG.sync.write(image));
}

function decode(dataUrl: string | null): PNG {
  expect(dataUrl).toMatch(/^data:image\/png;base64,/);
  return PNG.sync.read(Buffer.from(dataUrl!.split(',')[1]!, 'base64'));
}

describe('thumbnailDataUrl', () => {
  it('shrinks to the thumbnail width, keeping the aspect ratio', () => {
    const thumb = decode(thumbnailDataUrl(png(800, 500, () => [10, 20, 30, 255])));
    expect([thumb.width, thumb.height]).toEqual([THUMBNAIL_WIDTH, 100]);
    expect([...thumb.data.subarray(0, 4)]).toEqual([10, 20, 30, 255]);
  });

  it('puts transparent pixels on white and averages each block', () => {
    // Left half transparent, right half alternating black and white columns.
    const source = png(320, 10, (x) =>
      x < 160 ? [0, 0, 0, 0] : x % 2 ? [255, 255, 255, 255] : [0, 0, 0, 255],
    );
    const thumb = decode(thumbnailDataUrl(source));
    expect([thumb.width, thumb.height]).toEqual([160, 5]);
    expect([...thumb.data.subarray(0, 3)]).toEqual([255, 255, 255]);
    const right = (2 * 160 + 120) * 4;
    expect([...thumb.data.subarray(right, right + 3)]).toEqual([128, 128, 128]);
  });

  it('leaves small images at their size and refuses bytes that are not a PNG', () => {
    expect(decode(thumbnailDataUrl(png(40, 30, () => [0, 0, 0, 255]))).width).toBe(40);
    expect(thumbnailDataUrl(new TextEncoder().encode('not a png'))).toBeNull();
  });
});
