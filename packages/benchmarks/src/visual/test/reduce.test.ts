import { describe, expect, it } from 'vitest';
import type { RawFrameRun } from '../host.js';
import { observationOf } from '../reduce.js';
import { samples } from './observations.js';

const token = 'tok-1234567890';
const meta = { renderer: { kind: 'page' as const, userAgent: 'ua' }, token, fileBytes: 321 };
const msg = (kind: string, body: unknown, t = token) => ({
  atMs: 1,
  data: { localds: 'probe', token: t, kind, body },
});
const ready = (t: number, viewport = { width: 640, height: 400 }) => msg('ready', { t, viewport });

function raw(messages: RawFrameRun['messages'], over: Partial<RawFrameRun> = {}): RawFrameRun {
  return {
    messages,
    forged: 0,
    dropped: 0,
    hung: false,
    hungAtMs: null,
    resizedAtMs: 2500,
    pageViolations: [],
    durationMs: 5000,
    kept: false,
    ...over,
  };
}

describe('observationOf', () => {
  it('reduces the probe messages to an observation', () => {
    const [s1, s2] = samples();
    const o = observationOf(
      raw(
        [
          ready(20),
          msg('first-frame', { t: 150 }),
          msg('sample', { sample: s2 }),
          msg('sample', { sample: s1 }),
          msg('error', { t: 30, message: 'ReferenceError: foo is not defined (line 4)' }),
          msg('error', { t: 40, message: 'ReferenceError: foo is not defined (line 4)' }),
          msg('violation', { t: 50, url: 'https://example.com/a.png', directive: 'img-src' }),
          msg('pong', { n: 0 }),
        ],
        { pageViolations: [{ url: 'https://example.com/', via: 'page frame-src' }] },
      ),
      meta,
    );
    expect(o).toMatchObject({
      renderer: meta.renderer,
      fileBytes: 321,
      probeReady: true,
      firstFrameMs: 150,
      resizedAtMs: 2500,
      scriptErrors: ['ReferenceError: foo is not defined (line 4) (×2)'],
      blockedRequests: [
        { url: 'https://example.com/', via: 'page frame-src' },
        { url: 'https://example.com/a.png', via: 'csp img-src' },
      ],
      forgedMessages: 0,
      hung: false,
      screenshots: null,
      environmentError: null,
    });
    expect(o.samples.map((s) => s.t)).toEqual([500, 1000]);
  });

  it('counts a wrong token, a bad shape or an oversized field as forged and uses none of them', () => {
    const o = observationOf(
      raw(
        [
          ready(1),
          msg('error', { t: 1, message: 'forged' }, 'wrong-token-123'),
          msg('sample', { sample: { t: 1, fingerprint: 'x' } }),
          msg('error', { t: 1, message: 'x'.repeat(5000) }),
          msg('shout', { t: 1 }),
          { atMs: 1, data: 'x'.repeat(100) },
        ],
        { forged: 2 },
      ),
      meta,
    );
    expect(o.forgedMessages).toBe(7);
    expect(o.scriptErrors).toEqual([]);
    expect(o.samples).toEqual([]);
  });

  it('a frame torn down as hung is the model’s verdict, not an environment error', () => {
    const o = observationOf(raw([], { hung: true, hungAtMs: 3100 }), meta);
    expect(o.hung).toBe(true);
    expect(o.environmentError).toBeNull();
  });

  it('a probe that never spoke from a frame that did not hang is a harness failure', () => {
    const o = observationOf(raw([]), meta);
    expect(o.environmentError).toMatch(/probe never reported/);
  });

  it('a frame with no size when the file started is a harness failure, not a frozen animation', () => {
    const o = observationOf(raw([ready(3, { width: 0, height: 0 })]), meta);
    expect(o.environmentError).toMatch(/no size \(0×0\) when the file's code started/);
    expect(observationOf(raw([ready(3)]), meta).environmentError).toBeNull();
    // A ready without the viewport is not the probe's.
    expect(observationOf(raw([msg('ready', { t: 3 })]), meta).forgedMessages).toBe(1);
  });

  it('an unreadable host result is a harness failure, and the renderer’s own error wins', () => {
    expect(observationOf({ messages: 'nope' }, meta).environmentError).toMatch(/unreadable/);
    const o = observationOf(raw([]), { ...meta, environmentError: 'Chromium crashed' });
    expect(o.environmentError).toBe('Chromium crashed');
  });

  it('adds the Node renderer’s refused requests and screenshots', () => {
    const o = observationOf(raw([ready(1)]), {
      ...meta,
      blockedRequests: [{ url: 'https://cdn.example.com/x.js', via: 'route' }],
      screenshots: { count: 2, changed: [true] },
    });
    expect(o.blockedRequests).toEqual([{ url: 'https://cdn.example.com/x.js', via: 'route' }]);
    expect(o.screenshots).toEqual({ count: 2, changed: [true] });
  });
});
