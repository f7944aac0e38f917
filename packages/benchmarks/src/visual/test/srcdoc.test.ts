import { describe, expect, it } from 'vitest';
import { buildSrcdoc, INJECTED_CSP } from '../probe/srcdoc.js';
import { PROBE_SCRIPT } from '../probe/probe-script.js';

const token = 'abcdefgh12345678';
const requirements = [
  {
    type: 'count' as const,
    id: 'petals',
    label: 'petals',
    selector: '.petal</script><b>',
    bodyAttribute: 'data-petals',
    min: 3,
  },
];

describe('buildSrcdoc', () => {
  it('puts the CSP and the probe right after the doctype, keeping the file whole', () => {
    const html = '<!-- a note -->\n<!DOCTYPE html>\n<html lang="en"><body>hi</body></html>';
    const doc = buildSrcdoc(html, { token, requirements: [] });
    const end = html.indexOf('>', html.indexOf('<!DOCTYPE')) + 1;
    expect(doc.slice(0, end)).toBe(html.slice(0, end));
    expect(doc.slice(end)).toMatch(
      /^<meta http-equiv="Content-Security-Policy" content="[^"]+"><script>/,
    );
    expect(doc.endsWith(html.slice(end))).toBe(true);
    expect(doc).toContain(INJECTED_CSP);
  });

  it('puts them first in a file without a doctype (its quirks mode is its own)', () => {
    const doc = buildSrcdoc('<p>x</p>', { token, requirements: [] });
    expect(doc.startsWith('<meta http-equiv="Content-Security-Policy"')).toBe(true);
    expect(doc.endsWith('<p>x</p>')).toBe(true);
  });

  it('escapes "<" in the config so a selector cannot close the probe script', () => {
    const doc = buildSrcdoc('<!doctype html>', { token, requirements });
    const script = doc.slice(doc.indexOf('<script>') + 8, doc.indexOf('</script>'));
    expect(script.startsWith(PROBE_SCRIPT)).toBe(true);
    expect(script).toContain('.petal\\u003c/script>\\u003cb>');
    expect(doc.match(/<\/script>/g)).toHaveLength(1);
  });

  it('refuses a token that could break out of the script', () => {
    expect(() => buildSrcdoc('', { token: 'x"); alert(1); ("', requirements: [] })).toThrow(
      /token/,
    );
  });

  it('allows no network: every fetching directive is none, data:/blob: only for media', () => {
    for (const d of [
      'default-src',
      'connect-src',
      'frame-src',
      'worker-src',
      'form-action',
      'base-uri',
    ]) {
      expect(INJECTED_CSP).toContain(`${d} 'none'`);
    }
    expect(INJECTED_CSP).not.toMatch(/https?:|\*/);
  });
});
