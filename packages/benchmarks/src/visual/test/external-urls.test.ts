import { describe, expect, it } from 'vitest';
import { externalUrlsIn } from '../external-urls.js';

describe('externalUrlsIn', () => {
  it.each([
    [
      '<script src="https://cdn.example.com/three.js"></script>',
      'https://cdn.example.com/three.js',
    ],
    ['<img src=//example.com/a.png>', '//example.com/a.png'],
    ['<link rel="prefetch" href="https://example.com/x">', 'https://example.com/x'],
    ['<img srcset="a.png 1x, https://example.com/b.png 2x">', 'https://example.com/b.png'],
    ["body { background: url('https://example.com/bg.jpg') }", 'https://example.com/bg.jpg'],
    ['@import url("https://fonts.example.com/css");', 'https://fonts.example.com/css'],
    ["fetch('https://example.com/api')", 'https://example.com/api'],
    ['import * as T from "https://esm.sh/three";', 'https://esm.sh/three'],
    ["await import('https://esm.sh/three')", 'https://esm.sh/three'],
    ["img.src = 'http://example.com/p.png'", 'http://example.com/p.png'],
    ["new WebSocket('wss://example.com/s')", 'wss://example.com/s'],
    ["xhr.open('GET', 'https://example.com/d')", 'https://example.com/d'],
    ["{ iceServers: [{ urls: 'stun:stun.example.com:3478' }] }", 'stun:stun.example.com:3478'],
    ['<meta http-equiv="refresh" content="0; url=https://example.com/">', 'https://example.com/'],
    ["el.setAttribute('href', 'https://example.com/z')", 'https://example.com/z'],
  ])('finds the URL in %s', (html, url) => {
    expect(externalUrlsIn(html)).toContain(url);
  });

  it('ignores namespaces, fragments, data: URLs and plain text', () => {
    const html = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
      <use href="#petal"/><image href="data:image/png;base64,AAAA"/></svg>
      <script>const s = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
      // see https://example.com/docs for the idea
      const note = "made at http://example.com";</script>
      <body data-petals="30" style="background:url(data:image/gif;base64,R0lG)">`;
    expect(externalUrlsIn(html)).toEqual([]);
  });
});
