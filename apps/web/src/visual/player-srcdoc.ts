/**
 * INTERIM (until vcore's `buildSrcdoc` from @localds/benchmarks lands, then this file goes): the file
 * as an iframe `srcdoc` with a Content-Security-Policy injected ahead of it that allows no network at
 * all. Only inline script/style and data:/blob: media are allowed, which is what a self-contained
 * animation needs. The meta element goes right after a leading doctype (so the file keeps standards
 * mode) and before everything else (a CSP meta only governs what follows it).
 */
export const PLAYER_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline' 'unsafe-eval'",
  "style-src 'unsafe-inline'",
  'img-src data: blob:',
  'font-src data:',
  'media-src data: blob:',
  "connect-src 'none'",
  "form-action 'none'",
  "base-uri 'none'",
].join('; ');

const LEADING_DOCTYPE = /^(\uFEFF?\s*(?:<!--[\s\S]*?-->\s*)*<!doctype[^>]*>)/i;

export function playerSrcdoc(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${PLAYER_CSP}">`;
  const doctype = LEADING_DOCTYPE.exec(html);
  if (!doctype) return meta + html;
  return doctype[1] + meta + html.slice(doctype[1]!.length);
}
