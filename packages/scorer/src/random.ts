/**
 * A seeded pseudo-random source for dataset generators.
 *
 * Hand-written sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-clean), seeded
 * through splitmix32: a dozen lines of 32-bit integer arithmetic give the same stream on every
 * platform and engine, which a generator whose output is committed byte for byte needs; no npm
 * package promises that more simply. Derived draws use only `Math.sqrt` (exactly rounded) and
 * `Math.log`/`Math.exp`, and callers round to milliseconds, so engine ulp differences cannot show.
 */
export interface Random {
  /** Uniform in [0, 1), 32 bits of resolution. */
  uniform(): number;
  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Standard normal draw. */
  normal(): number;
  /** Eight lowercase hex digits. */
  hex8(): string;
}

const MAX_SEED = 0xffffffff;

/** Checks a seed once, so every generator reports the same clear error. */
export function assertSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(`seed must be an integer from 0 to ${MAX_SEED}, got ${String(seed)}`);
  }
}

export function createRandom(seed: number): Random {
  assertSeed(seed);
  // splitmix32 spreads one 32-bit seed over sfc32's four words of state.
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();

  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // Warm-up, as sfc32's author recommends, so nearby seeds diverge at once.
  for (let i = 0; i < 12; i++) nextUint32();

  const uniform = (): number => nextUint32() / 0x100000000;
  return {
    uniform,
    int: (min, max) => min + Math.floor(uniform() * (max - min + 1)),
    chance: (p) => uniform() < p,
    normal: () => {
      // Marsaglia's polar method: exact rejection, no trigonometry.
      for (;;) {
        const u = 2 * uniform() - 1;
        const v = 2 * uniform() - 1;
        const q = u * u + v * v;
        if (q > 0 && q < 1) return u * Math.sqrt((-2 * Math.log(q)) / q);
      }
    },
    hex8: () => nextUint32().toString(16).padStart(8, '0'),
  };
}
