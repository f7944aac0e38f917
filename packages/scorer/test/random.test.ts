import { describe, expect, it } from 'vitest';
import { assertSeed, createRandom } from '../src/random.js';

const draw = (seed: number, n: number): number[] => {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => random.uniform());
};

describe('createRandom', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    expect(draw(7, 50)).toEqual(draw(7, 50));
    expect(draw(7, 50)).not.toEqual(draw(8, 50));
  });

  it('draws uniforms in [0, 1) and integers within bounds', () => {
    const random = createRandom(1);
    const uniforms = Array.from({ length: 10_000 }, () => random.uniform());
    const ints = Array.from({ length: 10_000 }, () => random.int(2, 5));
    expect(uniforms.every((u) => u >= 0 && u < 1)).toBe(true);
    expect(new Set(ints)).toEqual(new Set([2, 3, 4, 5]));
  });

  it('draws normals with mean 0 and variance 1', () => {
    const random = createRandom(42);
    const xs = Array.from({ length: 100_000 }, () => random.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });

  it('writes eight hex digits', () => {
    expect(createRandom(3).hex8()).toMatch(/^[0-9a-f]{8}$/);
  });

  it('accepts only 32-bit unsigned integer seeds', () => {
    expect(() => assertSeed(0)).not.toThrow();
    expect(() => assertSeed(0xffffffff)).not.toThrow();
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => assertSeed(bad)).toThrow(/seed must be an integer from 0 to 4294967295/);
    }
  });
});
