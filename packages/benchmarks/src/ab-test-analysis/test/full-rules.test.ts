import { generateDataset, type EventRow } from '../../index.js';
import { describe, expect, it } from 'vitest';
import { traceDataAccess } from '@localds/scorer';
import { fullChartsLabeled } from '@localds/scorer';
import { driftNote } from '@localds/scorer';
import { sectionsNote } from '@localds/scorer';
import { CHART_FILES, judgeRecommendation, judgeStatistic } from '../../index.js';
import { bootstrapResample, computeOracle, type Oracle } from '../../index.js';
import { type Trace, type TraceRequest } from '@localds/scorer';

const URL_ = 'http://127.0.0.1:54321/rest/v1/posthog_events';
const req = (over: Partial<TraceRequest>): TraceRequest => ({
  cell: 0,
  method: 'GET',
  url: `${URL_}?select=*`,
  status: 200,
  rows_returned: 1000,
  total_rows: 2500,
  more_rows: true,
  range: { offset: 0, limit: 1000 },
  ...over,
});
const trace = (requests: TraceRequest[]): Trace => ({
  version: 1,
  requests,
  files: [],
  figures: [],
  cells: [],
});

describe('full-mode data_access from the trace', () => {
  it('passes only when the pages cover every row', () => {
    const pages = [0, 1000, 2000].map((offset) =>
      req({
        url: `${URL_}?select=*&offset=${offset}&limit=1000`,
        range: { offset, limit: 1000 },
        rows_returned: offset === 2000 ? 500 : 1000,
      }),
    );
    expect(traceDataAccess(trace(pages), URL_, 2500).pass).toBe(true);
    expect(traceDataAccess(trace(pages.slice(0, 2)), URL_, 2500).detail).toBe(
      'read 2000 of 2500 rows',
    );
    // The same page twice is not two pages.
    expect(traceDataAccess(trace([pages[0]!, pages[0]!]), URL_, 2500).detail).toBe(
      'read 1000 of 2500 rows',
    );
  });

  it('accepts filters that partition the table and ignores other hosts and failures', () => {
    const a = req({ url: `${URL_}?variant=eq.A`, rows_returned: 1200, range: null });
    const b = req({ url: `${URL_}?variant=eq.B`, rows_returned: 1300, range: null });
    expect(traceDataAccess(trace([a, b]), URL_, 2500).pass).toBe(true);
    const elsewhere = req({
      url: 'https://example.org/rest/v1/posthog_events',
      rows_returned: 2500,
    });
    const failed = req({ status: 401, rows_returned: null });
    expect(traceDataAccess(trace([elsewhere, failed]), URL_, 2500).detail).toMatch(
      /^no successful request to .* \(2 other request\(s\)\)$/,
    );
  });

  it('uses Content-Range totals when the snapshot size is unknown', () => {
    expect(traceDataAccess(trace([req({})]), URL_, null).detail).toBe('read 1000 of 2500 rows');
  });
});

describe('live data drift', () => {
  const data = (live?: boolean) => ({
    data: { table_url: URL_, snapshot: null, ...(live === undefined ? {} : { live }) },
  });

  it('says nothing for a run served its snapshot', () => {
    expect(driftNote(data(), trace([req({})]))).toBeNull();
    expect(driftNote(data(false), trace([req({})]))).toBeNull();
  });

  it('counts the live answers that differed from the snapshot and quotes the first', () => {
    const same = req({ drift: null });
    const moved = req({ drift: '845 rows live, 844 from the snapshot' });
    expect(driftNote(data(true), trace([same, same]))).toBe(
      'live data: 2 requests answered by the live project, none differing from the snapshot',
    );
    expect(driftNote(data(true), trace([same, moved, req({})]))).toBe(
      'live data drift: 1 of 2 requests answered by the live project differ from the snapshot the oracle is computed from (first: 845 rows live, 844 from the snapshot)',
    );
  });
});

describe('full-mode charts_labeled from the trace only', () => {
  const fig = {
    cell: 3,
    filename: 'chart-distribution.png',
    title: 'T',
    x_label: 'x',
    y_label: 'y',
  };
  const full = { environment: { packages: 'full' as const, loaded: ['matplotlib', 'pandas'] } };
  const withFigures = (...figures: Trace['figures']) => ({ ...trace([]), figures });

  it('needs a title and both axis labels on each saved chart', () => {
    expect(fullChartsLabeled(full, withFigures(fig), CHART_FILES)).toEqual({
      pass: true,
      detail: '1 figure(s) with title, x label and y label (trace)',
    });
    expect(fullChartsLabeled(full, withFigures({ ...fig, y_label: '' }), CHART_FILES)).toEqual({
      pass: false,
      detail: 'chart-distribution.png has no y label',
    });
  });

  it('is not judged without matplotlib in the environment, whatever the code says', () => {
    const stdlib = { environment: { packages: 'stdlib-only' as const, loaded: [] } };
    expect(fullChartsLabeled(stdlib, withFigures(), CHART_FILES)).toMatchObject({
      pass: false,
      judged: false,
      detail: expect.stringMatching(/^not judged: the run had the standard library only/),
    });
    const noMpl = { environment: { packages: 'full' as const, loaded: ['pandas'] } };
    expect(fullChartsLabeled(noMpl, withFigures(), CHART_FILES)?.judged).toBe(false);
    // matplotlib not importable, seen in the trace of a run without a recorded environment.
    const failed = {
      ...trace([]),
      cells: [
        {
          index: 2,
          status: 'error' as const,
          duration_ms: 5,
          error: { name: 'ModuleNotFoundError', message: "No module named 'matplotlib'" },
        },
      ],
    };
    expect(fullChartsLabeled({}, failed, CHART_FILES).detail).toBe(
      "not judged: matplotlib was not importable in this run (cell 2: No module named 'matplotlib'), so no figure labels could be recorded",
    );
  });

  it('fails when matplotlib was there and no figure was recorded; not judged when labels were unreadable', () => {
    expect(fullChartsLabeled(full, withFigures(), CHART_FILES)).toEqual({
      pass: false,
      detail: 'the trace records no matplotlib figure, so no chart labels',
    });
    // An older run.json without its environment: nothing says matplotlib was there.
    expect(fullChartsLabeled({}, withFigures(), CHART_FILES).judged).toBe(false);
    const unread = { ...fig, title: null, x_label: null, y_label: null };
    expect(fullChartsLabeled(full, withFigures(unread), CHART_FILES).judged).toBe(false);
  });
});

describe('bootstrapResample', () => {
  const rows = generateDataset('canonical');

  it('is deterministic, keeps each variant’s session count and renumbers ids', () => {
    const one = bootstrapResample(rows, 7);
    expect(bootstrapResample(rows, 7)).toEqual(one);
    expect(bootstrapResample(rows, 8)).not.toEqual(one);
    expect(one.map((r) => r.id)).toEqual(one.map((_, i) => i + 1));
    const sessions = (rs: EventRow[], v: string) =>
      new Set(rs.filter((r) => r.variant === v && r.session_id !== null).map((r) => r.session_id))
        .size;
    expect(sessions(one, 'A')).toBe(sessions(rows, 'A'));
    expect(sessions(one, 'B')).toBe(sessions(rows, 'B'));
    // Rows outside an A/B session are carried over.
    const unusable = (rs: EventRow[]) =>
      rs.filter((r) => r.session_id === null || r.variant === null).length;
    expect(unusable(one)).toBe(unusable(rows));
  });

  it('removes the effect (null bootstrap), so values that follow the data move', () => {
    const before = computeOracle(rows);
    const after = computeOracle(bootstrapResample(rows, 7));
    expect(before.p_value!).toBeLessThan(0.01);
    expect(Math.abs(after.completion_rate_a! - after.completion_rate_b!)).toBeLessThan(
      Math.abs(before.completion_rate_a! - before.completion_rate_b!) / 2,
    );
  });
});

describe('required sections note', () => {
  const nb = (...headings: string[]) => ({
    cells: headings.map((h) => ({ cell_type: 'markdown', source: [`${h}\n`, 'text'] })),
  });
  const sections = [
    { id: 'setup', title: 'Setup & data pull', keywords: ['x'] },
    { id: 'primary', title: 'Primary analysis', keywords: ['x'] },
  ];

  it('matches headings by their words and names what is missing', () => {
    expect(sectionsNote(nb('## Setup and data loading', '### Primary analysis ##'), sections)).toBe(
      'sections: 2 of 2 required headings found',
    );
    expect(sectionsNote(nb('# Setup & data', '# Setup', 'Primary analysis'), sections)).toBe(
      'sections: 1 of 2 required headings found; missing: Primary analysis',
    );
    expect(sectionsNote(null, sections)).toBe('sections: no readable notebook');
  });
});

describe('counterfactual verdicts', () => {
  const oracle = (p: number, rec: 'A' | null) =>
    ({ p_value: p, recommended_variant: rec }) as Oracle;
  const summary = (p: number, rec: 'A' | null) => ({
    recommended_variant: rec,
    raw_stats: { p_value: p },
  });

  it('does not judge a statistic the resample did not move', () => {
    const v = judgeStatistic(
      'p_value',
      0.05,
      oracle(0.3, null),
      oracle(0.32, null),
      summary(0.3, null),
    );
    expect(v.fails).toBe(false);
    expect(v.detail).toMatch(/moved p_value only from 0.3 to 0.32 .*not judged/);
  });

  it('fails a value that stays put when the data moved, and passes one that follows', () => {
    const before = oracle(0.0005, 'A');
    const after = oracle(0.4, null);
    expect(judgeStatistic('p_value', 0.05, before, after, summary(0.0005, 'A')).fails).toBe(true);
    expect(judgeStatistic('p_value', 0.05, before, after, summary(0.41, null)).fails).toBe(false);
    expect(judgeRecommendation(before, after, summary(0.0005, 'A')).fails).toBe(true);
    expect(judgeRecommendation(before, after, summary(0.41, null)).fails).toBe(false);
  });
});
