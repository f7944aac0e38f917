/**
 * A static scan of a file for external resources: URLs where the browser would fetch them (src, href,
 * srcset, poster, data, action, url(), @import, fetch/import/Worker/WebSocket/EventSource/sendBeacon,
 * XMLHttpRequest.open, a STUN/TURN server). A URL that is only a name — an XML namespace such as
 * xmlns="http://www.w3.org/2000/svg" or createElementNS("http://www.w3.org/2000/svg", …) — is not a
 * resource and is not reported.
 */

const URL_START = String.raw`(?:https?:|wss?:|ftp:|\/\/)`;
const PATTERNS: RegExp[] = [
  // Attributes that load something (xlink:href included), quoted or not.
  new RegExp(
    String.raw`(?:^|[\s"'<])(?:src|(?:xlink:)?href|srcset|poster|data|action|formaction|background|manifest|ping)\s*=\s*["']?\s*(${URL_START}[^"'\s>)]*)`,
    'gi',
  ),
  // A URL in a srcset list after the first candidate.
  new RegExp(String.raw`srcset\s*=\s*["'][^"']*,\s*(${URL_START}[^"'\s,]*)`, 'gi'),
  // CSS.
  new RegExp(String.raw`url\(\s*["']?\s*(${URL_START}[^"')\s]*)`, 'gi'),
  new RegExp(String.raw`@import\s+(?:url\(\s*)?["']?\s*(${URL_START}[^"')\s;]*)`, 'gi'),
  // Script APIs that fetch, with a literal URL.
  new RegExp(
    String.raw`\b(?:fetch|import|importScripts|Worker|SharedWorker|WebSocket|EventSource|sendBeacon|open|Audio|Image|FontFace)\s*\(\s*(?:["'\x60]\s*(?:GET|POST)["'\x60]\s*,\s*)?["'\x60]\s*(${URL_START}[^"'\x60\s]*)`,
    'gi',
  ),
  new RegExp(String.raw`\bimport\s[^;]*?\bfrom\s*["']\s*(${URL_START}[^"'\s]*)`, 'gi'),
  // Assigning a URL to .src/.href/.srcset/.data/.poster/.action in script.
  new RegExp(
    String.raw`\.(?:src|href|srcset|data|poster|action)\s*=\s*["'\x60]\s*(${URL_START}[^"'\x60\s]*)`,
    'gi',
  ),
  // setAttribute('src', 'https://…').
  new RegExp(
    String.raw`setAttribute(?:NS)?\s*\([^)]*?["'](?:src|href|xlink:href|srcset|data|poster)["']\s*,\s*["'\x60]\s*(${URL_START}[^"'\x60\s]*)`,
    'gi',
  ),
  // WebRTC servers.
  /["'`]\s*((?:stuns?|turns?):[^"'`\s]+)/gi,
  // <meta http-equiv="refresh" content="0; url=https://…">.
  new RegExp(
    String.raw`http-equiv\s*=\s*["']?refresh["']?[^>]*?url\s*=\s*(${URL_START}[^"'\s>]*)`,
    'gi',
  ),
];

/** The external URLs the file refers to where they would be fetched, first seen first, at most `max`. */
export function externalUrlsIn(html: string, max = 20): string[] {
  const found = new Set<string>();
  for (const pattern of PATTERNS) {
    for (const match of html.matchAll(pattern)) {
      const url = match[1];
      if (url) found.add(url.length > 200 ? `${url.slice(0, 200)}…` : url);
      if (found.size >= max) return [...found];
    }
  }
  return [...found];
}
