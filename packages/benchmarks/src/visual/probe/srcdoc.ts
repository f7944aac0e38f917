import type { VisualRequirement } from '../definition.js';
import { PROBE_SCRIPT } from './probe-script.js';

/**
 * The Content-Security-Policy injected into every rendered file: inline code and data:/blob: media only,
 * no request of any kind. (The embedding page's own CSP adds `frame-src 'none'`, which is what stops the
 * frame navigating itself to a URL; a sandbox without allow-same-origin stops it touching the page.)
 */
export const INJECTED_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; " +
  "font-src data:; media-src data: blob:; connect-src 'none'; frame-src 'none'; worker-src 'none'; " +
  "form-action 'none'; base-uri 'none'; manifest-src 'none'; object-src 'none'";

/** How often the probe samples what is on screen. */
export const SAMPLE_EVERY_MS = 500;

export interface SrcdocOptions {
  /** The per-render secret the probe signs its messages with (e.g. crypto.randomUUID()). */
  token: string;
  requirements: readonly VisualRequirement[];
  sampleEveryMs?: number;
}

/** A doctype, possibly after a byte-order mark, whitespace and comments, at the start of the file. */
const LEADING_DOCTYPE = /^(?:\uFEFF|\s|<!--[\s\S]*?-->)*<!doctype[^>]*>/i;

/**
 * The frame's document: the model's file with the CSP meta and the probe first, right after the file's
 * doctype so a standards-mode file stays in standards mode (a file without a doctype keeps its quirks).
 * The parser puts the meta and the script into an implied <head>; the file's own <html>/<head> tags then
 * merge into it, so nothing of the file is lost.
 */
export function buildSrcdoc(html: string, options: SrcdocOptions): string {
  if (!/^[A-Za-z0-9_-]{8,128}$/.test(options.token)) {
    throw new TypeError('buildSrcdoc: the token must be 8–128 letters, digits, "-" or "_"');
  }
  const config = {
    token: options.token,
    requirements: options.requirements,
    sampleEveryMs: options.sampleEveryMs ?? SAMPLE_EVERY_MS,
  };
  // "<" escaped so no string in the config (a selector, a label) can close the script element.
  const configJson = JSON.stringify(config).replace(/</g, '\\u003c');
  const injected =
    `<meta http-equiv="Content-Security-Policy" content="${INJECTED_CSP}">` +
    `<script>${PROBE_SCRIPT}(${configJson});</script>`;
  const doctype = LEADING_DOCTYPE.exec(html);
  if (!doctype) return injected + html;
  const end = doctype[0].length;
  return html.slice(0, end) + injected + html.slice(end);
}
