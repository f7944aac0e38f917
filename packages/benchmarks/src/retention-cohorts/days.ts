/**
 * UTC calendar days as integers (days since 1970-01-01), the unit every retention definition uses.
 * Hand-written: three small conversions where a date library would add a dependency and its own
 * time-zone rules; PostgREST always sends an explicit offset, so no zone database is needed.
 */

export const DAY_MS = 86_400_000;

/**
 * A timestamptz as PostgREST renders it (`2026-10-01T09:15:02.123+00:00`), also accepting a space
 * before the time, `Z`, offsets without a colon and up to microseconds (truncated to milliseconds,
 * which never moves an instant across a UTC midnight).
 */
const TIMESTAMPTZ =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/;

/** Midnight (epoch ms) of each calendar date seen, NaN for an impossible one: a table spans few dates. */
const midnights = new Map<string, number>();

function midnightOf(y: string, mo: string, d: string): number {
  const key = `${y}-${mo}-${d}`;
  let ms = midnights.get(key);
  if (ms === undefined) {
    ms = Date.UTC(Number(y), Number(mo) - 1, Number(d));
    // Date.UTC rolls an out-of-range field over (Feb 30 → Mar 2); a real timestamp never needs that.
    const check = new Date(ms);
    if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) ms = NaN;
    if (midnights.size < 100_000) midnights.set(key, ms);
  }
  return ms;
}

/** Epoch milliseconds of a timestamptz string; null when it is not one. */
export function parseTimestamptz(text: string): number | null {
  const m = TIMESTAMPTZ.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const midnight = midnightOf(y!, mo!, d!);
  if (Number.isNaN(midnight)) return null;
  const [hours, minutes, seconds] = [Number(h), Number(mi), Number(s ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const local = midnight + ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
  }
  return local - offsetMinutes * 60_000;
}

/** The UTC calendar day (days since 1970-01-01) of an instant. */
export function utcDay(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS);
}

/** ISO date (YYYY-MM-DD) of a day number. */
export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day number of an ISO date (YYYY-MM-DD); throws on anything else. */
export function dayOf(isoDateText: string): number {
  const ms = parseTimestamptz(`${isoDateText}T00:00:00Z`);
  if (ms === null) throw new RangeError(`not an ISO date (YYYY-MM-DD): "${isoDateText}"`);
  return utcDay(ms);
}

/** The Monday on or before a day (1970-01-01, day 0, was a Thursday). */
export function mondayOnOrBefore(day: number): number {
  const sinceMonday = (((day + 3) % 7) + 7) % 7;
  return day - sinceMonday;
}
