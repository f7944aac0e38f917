import type { Observation, ProbeSample } from '../observation.js';

/** Observation fixtures: a well-behaved render, and ways to spoil it. */

export const WIDE = { width: 640, height: 400 };
export const TALL = { width: 420, height: 560 };

/** Ten samples 0.5 s apart, resized after the fifth; `fingerprint(i)` says what was on screen. */
export function samples(
  fingerprint: (i: number) => string = (i) => `f${i}`,
  over: Partial<ProbeSample> & { coverageAfter?: number } = {},
): ProbeSample[] {
  const { coverageAfter, ...rest } = over;
  return Array.from({ length: 10 }, (_, i) => ({
    t: 500 * (i + 1),
    frames: 30 * (i + 1),
    fingerprint: fingerprint(i),
    viewport: i < 5 ? WIDE : TALL,
    coverage: i >= 5 && coverageAfter !== undefined ? coverageAfter : 1,
    requirements: { 'drawing-surface': 1, petals: 40 },
    ...rest,
  }));
}

export function observation(over: Partial<Observation> = {}): Observation {
  return {
    renderer: { kind: 'node', userAgent: 'test' },
    fileBytes: 1000,
    probeReady: true,
    firstFrameMs: 180,
    samples: samples(),
    resizedAtMs: 2500,
    scriptErrors: [],
    blockedRequests: [],
    forgedMessages: 0,
    hung: false,
    screenshots: null,
    environmentError: null,
    ...over,
  };
}
