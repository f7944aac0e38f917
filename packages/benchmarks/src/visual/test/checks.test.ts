import { describe, expect, it } from 'vitest';
import { scoreVisual, VISUAL_CHECKS, type VisualCheckId } from '../checks.js';
import { cherryBlossomsBenchmark as bench } from '../cherry-blossoms/benchmark.js';
import { observation, samples } from './observations.js';

const HTML = '<!doctype html><canvas></canvas><script>/* draws */</script>';
const check = (s: ReturnType<typeof scoreVisual>, id: VisualCheckId) =>
  s.checks.find((c) => c.id === id)!;

describe('scoreVisual', () => {
  it('gives a well-behaved render all 100 points, each check with a detail', () => {
    const s = scoreVisual(bench, HTML, observation());
    expect(s.score).toBe(100);
    expect(s.checks.map((c) => c.id)).toEqual(VISUAL_CHECKS.map((c) => c.id));
    for (const c of s.checks) expect(c.detail.length).toBeGreaterThan(10);
    expect(check(s, 'animates').detail).toMatch(/changed in 8 of 8/);
  });

  it('judges nothing when the environment failed: no score, not the model’s', () => {
    const s = scoreVisual(bench, HTML, observation({ environmentError: 'Chromium is missing' }));
    expect(s.score).toBeNull();
    expect(s.environmentError).toBe('Chromium is missing');
    for (const c of s.checks) {
      expect(c.points).toBeNull();
      expect(c.detail).toMatch(/not judged: Chromium is missing/);
    }
  });

  it('self_contained fails on an external URL in the file, but not on the SVG namespace', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>';
    expect(check(scoreVisual(bench, svg, observation()), 'self_contained').passed).toBe(true);
    const cdn = '<script src="https://cdn.example.com/p5.js"></script>';
    const c = check(scoreVisual(bench, cdn, observation()), 'self_contained');
    expect(c.points).toBe(0);
    expect(c.detail).toContain('https://cdn.example.com/p5.js');
  });

  it('self_contained fails on a blocked request the file made at run time', () => {
    const o = observation({
      blockedRequests: [{ url: 'https://example.com/x', via: 'csp connect-src' }],
    });
    const c = check(scoreVisual(bench, HTML, o), 'self_contained');
    expect(c.passed).toBe(false);
    expect(c.detail).toContain('https://example.com/x (csp connect-src)');
  });

  it('no_script_errors lists the errors', () => {
    const o = observation({ scriptErrors: ['TypeError: x is undefined (line 3:5)'] });
    const c = check(scoreVisual(bench, HTML, o), 'no_script_errors');
    expect(c.passed).toBe(false);
    expect(c.detail).toContain('TypeError: x is undefined');
  });

  it('animates fails on a still screen: the resize alone is not motion', () => {
    const o = observation({ samples: samples((i) => (i < 5 ? 'wide' : 'tall')) });
    const c = check(scoreVisual(bench, HTML, o), 'animates');
    expect(c.passed).toBe(false);
    expect(c.detail).toMatch(/^nothing moved: the screen changed in 0 of 8/);
  });

  it('animates fails on a single transition that stops', () => {
    const o = observation({ samples: samples((i) => `f${Math.min(i, 2)}`) });
    const c = check(scoreVisual(bench, HTML, o), 'animates');
    expect(c.passed).toBe(false);
    expect(c.detail).toMatch(/^the motion stopped/);
  });

  it('animates fails with "probe contradicted" when the screenshots show no change', () => {
    const still = observation({
      screenshots: {
        count: 10,
        changed: [false, false, false, false, true, false, false, false, false],
      },
    });
    const c = check(scoreVisual(bench, HTML, still), 'animates');
    expect(c.passed).toBe(false);
    expect(c.detail).toMatch(/^probe contradicted/);
    const moving = observation({ screenshots: { count: 10, changed: Array(9).fill(true) } });
    expect(check(scoreVisual(bench, HTML, moving), 'animates').passed).toBe(true);
  });

  it('a hung frame fails animates and renders_in_time as "the frame stopped responding"', () => {
    const o = observation({ hung: true, samples: samples().slice(0, 2), firstFrameMs: null });
    const s = scoreVisual(bench, HTML, o);
    for (const id of ['animates', 'renders_in_time'] as const) {
      expect(check(s, id).passed).toBe(false);
      expect(check(s, id).detail).toBe('the frame stopped responding');
    }
    expect(s.score).not.toBeNull();
  });

  it('fills_viewport needs 90% before and after the resize', () => {
    const o = observation({ samples: samples(undefined, { coverageAfter: 0.5 }) });
    const c = check(scoreVisual(bench, HTML, o), 'fills_viewport');
    expect(c.passed).toBe(false);
    expect(c.detail).toBe(
      '100% of 640×400 covered before the resize, 50% of 420×560 after (needs 90%)',
    );
    const noResize = observation({ samples: samples().slice(0, 5) });
    expect(check(scoreVisual(bench, HTML, noResize), 'fills_viewport').detail).toMatch(
      /^no sample after the resize/,
    );
  });

  it('renders_in_time compares the first frame with the budget', () => {
    const c = check(
      scoreVisual(bench, HTML, observation({ firstFrameMs: 2600 })),
      'renders_in_time',
    );
    expect(c.passed).toBe(false);
    expect(c.detail).toBe('first frame after 2600 ms (budget 2000 ms)');
  });

  it('file_size measures the file in UTF-8 bytes', () => {
    const big = 'é'.repeat(50_001); // 100 002 bytes
    const c = check(scoreVisual(bench, big, observation()), 'file_size');
    expect(c.passed).toBe(false);
    expect(c.detail).toBe('100.0 kB (limit 100.0 kB)');
  });

  it('requirements split their points and judge the lowest settled value', () => {
    const s = samples(undefined, { requirements: { 'drawing-surface': 0.8, petals: 40 } });
    s[6]!.requirements = { 'drawing-surface': 0.8, petals: 12 }; // petals removed for a moment
    s[0]!.requirements = { 'drawing-surface': 0, petals: 0 }; // before the file set up (t < 1 s)
    const c = check(scoreVisual(bench, HTML, observation({ samples: s })), 'requirements');
    expect(c.points).toBe(7.5);
    expect(c.passed).toBe(false);
    expect(c.detail).toBe(
      'A canvas or SVG drawing surface: yes (80% of the viewport); At least 30 petals: no (12 found)',
    );
    const score = scoreVisual(bench, HTML, observation({ samples: s })).score;
    expect(score).toBe(92.5);
  });
});
