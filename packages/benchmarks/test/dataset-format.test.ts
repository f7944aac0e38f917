import { describe, expect, it } from 'vitest';
import {
  EVENT_COLUMNS,
  EventRowsSchema,
  formatTimestamptz,
  toCsv,
  toJson,
  toSql,
  type EventRow,
  AB_TEST_TABLE,
} from '../src/index.js';

const row = (over: Partial<EventRow> = {}): EventRow => ({
  id: 1,
  event: 'puzzle_completed',
  distinct_id: 'p1',
  session_id: 's1',
  timestamp: '2026-10-01T09:15:02.123+00:00',
  variant: 'A',
  feature_flag_response: 'A',
  completion_time_seconds: 5.12,
  correct_words_count: 4,
  total_guesses_count: 6,
  ...over,
});

describe('formatTimestamptz', () => {
  // Expected strings are what PostgreSQL 15's to_json(timestamptz) printed under TimeZone UTC.
  it.each([
    ['2026-10-01T09:15:02.123Z', '2026-10-01T09:15:02.123+00:00'],
    ['2026-10-01T09:15:02.120Z', '2026-10-01T09:15:02.12+00:00'],
    ['2026-10-01T09:15:02.100Z', '2026-10-01T09:15:02.1+00:00'],
    ['2026-10-01T09:15:02.000Z', '2026-10-01T09:15:02+00:00'],
    ['2026-01-05T00:00:00.007Z', '2026-01-05T00:00:00.007+00:00'],
  ])('renders %s as %s', (iso, expected) => {
    expect(formatTimestamptz(Date.parse(iso))).toBe(expected);
  });

  it('rejects a fraction of a millisecond', () => {
    expect(() => formatTimestamptz(1.5)).toThrow(/whole milliseconds/);
  });
});

describe('toJson', () => {
  it('writes rows in order with keys in table column order', () => {
    const shuffled = Object.fromEntries(Object.entries(row()).reverse()) as EventRow;
    const text = toJson([shuffled, row({ id: 2, completion_time_seconds: null })], AB_TEST_TABLE);
    const parsed = EventRowsSchema.parse(JSON.parse(text));
    expect(parsed).toEqual([row(), row({ id: 2, completion_time_seconds: null })]);
    expect(Object.keys(JSON.parse(text)[0])).toEqual([...EVENT_COLUMNS]);
    expect(text.split('\n')).toHaveLength(5); // "[", two rows, "]", final newline
  });

  it('prints numbers as JavaScript does, nulls as null', () => {
    const text = toJson([row({ completion_time_seconds: 6, variant: null })], AB_TEST_TABLE);
    expect(text).toContain('"completion_time_seconds":6,');
    expect(text).toContain('"variant":null');
  });

  it('writes an empty table as an empty array', () => {
    expect(JSON.parse(toJson([], AB_TEST_TABLE))).toEqual([]);
  });

  it('refuses a number JSON cannot hold', () => {
    expect(() => toJson([row({ completion_time_seconds: Number.NaN })], AB_TEST_TABLE)).toThrow(
      /row 1: completion_time_seconds is not finite/,
    );
  });
});

describe('toCsv', () => {
  it('writes a header and CRLF-terminated records', () => {
    const lines = toCsv([row()], AB_TEST_TABLE).split('\r\n');
    expect(lines[0]).toBe(EVENT_COLUMNS.join(','));
    expect(lines[1]).toBe('1,puzzle_completed,p1,s1,2026-10-01T09:15:02.123+00:00,A,A,5.12,4,6');
    expect(lines[2]).toBe('');
  });

  it('quotes commas, quotes and line breaks, and tells an empty string from null', () => {
    const csv = toCsv(
      [row({ distinct_id: 'a,"b"\nc', session_id: '', variant: null })],
      AB_TEST_TABLE,
    );
    expect(csv.split('\r\n')[1]).toBe(
      '1,puzzle_completed,"a,""b""\nc","",2026-10-01T09:15:02.123+00:00,,A,5.12,4,6',
    );
  });
});

describe('toSql', () => {
  it('creates the fixed table, then fills it', () => {
    const sql = toSql([row()], AB_TEST_TABLE);
    expect(sql).toContain('drop table if exists public.posthog_events;');
    expect(sql).toContain(
      [
        'create table public.posthog_events (',
        '  id bigint primary key,',
        '  event text,',
        '  distinct_id text,',
        '  session_id text,',
        '  "timestamp" timestamptz,',
        '  variant text,',
        '  feature_flag_response text,',
        '  completion_time_seconds double precision,',
        '  correct_words_count integer,',
        '  total_guesses_count integer',
        ');',
      ].join('\n'),
    );
    expect(sql).toContain(
      "(1, 'puzzle_completed', 'p1', 's1', '2026-10-01T09:15:02.123+00:00', 'A', 'A', 5.12, 4, 6)",
    );
    expect(sql.indexOf('create table')).toBeLessThan(sql.indexOf('insert into'));
  });

  it('makes the table readable, and only readable, by anon', () => {
    const sql = toSql([], AB_TEST_TABLE);
    expect(sql).toContain('alter table public.posthog_events enable row level security;');
    expect(sql).toMatch(
      /create policy "[^"]+" on public\.posthog_events for select to anon using \(true\);/,
    );
    expect(sql).toContain('grant select on public.posthog_events to anon;');
    expect(sql).not.toMatch(/grant (insert|update|delete|all)/i);
    expect(sql).not.toContain('insert into');
  });

  it('escapes quotes and writes null as null', () => {
    const sql = toSql([row({ distinct_id: "o'brien''s", variant: null })], AB_TEST_TABLE);
    expect(sql).toContain("'o''brien''''s'");
    expect(sql).toContain("'2026-10-01T09:15:02.123+00:00', null, 'A'");
  });

  it('splits many rows over several insert statements', () => {
    const rows = Array.from({ length: 1200 }, (_, i) => row({ id: i + 1 }));
    const sql = toSql(rows, AB_TEST_TABLE);
    expect(sql.match(/^insert into/gm)).toHaveLength(3);
    expect(sql.match(/^ {2}\(\d+, /gm)).toHaveLength(1200);
  });

  it('puts comment lines first, one line each', () => {
    const sql = toSql([], AB_TEST_TABLE, { comment: ['scenario canonical', 'two\nlines'] });
    expect(sql.startsWith('-- scenario canonical\n-- two lines\nbegin;\n')).toBe(true);
  });
});
