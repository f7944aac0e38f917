/**
 * A record id that sorts by time and is unique in this browser: `2026-11-24T04-10-00Z-3f2a9c01`. Every
 * record the page stores (runs, visual runs, imports) is named by it.
 */
export function newRecordId(): string {
  const stamp = new Date()
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
  return `${stamp}-${crypto.randomUUID().slice(0, 8)}`;
}
