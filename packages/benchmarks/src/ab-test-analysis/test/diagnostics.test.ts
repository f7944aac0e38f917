/**
 * Each wrong definition is recomputed here from the raw rows, independently of src/diagnostics, then
 * planted in an otherwise correct raw_stats; the diagnostics must name exactly that mistake.
 * Distributions come straight from @stdlib (not through src/stats) to keep the recomputation separate.
 */
import { generateDataset, SCENARIO_NAMES, type EventRow, type RawStats } from '../../index.js';
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { describe, expect, it } from 'vitest';
import { computeDiagnostics, followsWrongBetter, type Diagnostic } from '../../index.js';
import { computeOracle, oracleRawStats } from '../../index.js';

type Variant = 'A' | 'B';
type Reported = Partial<Record<keyof RawStats, unknown>>;

const canonical = generateDataset('canonical');
const canonicalOracle = computeOracle(canonical);
const right = oracleRawStats(canonicalOracle);

function diagnose(rawStats: Reported, rows: EventRow[] = canonical, trace?: unknown): Diagnostic[] {
  const oracle = rows === canonical ? canonicalOracle : computeOracle(rows);
  return computeDiagnostics({ rows, oracle, rawStats, trace });
}
const found = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.id}:${d.field}`).sort();

// --- Independent recomputations from rows -------------------------------------------------------

const usable = (rows: EventRow[], v: Variant) =>
  rows.filter((r) => r.variant === v && r.session_id !== null);
const completions = (rows: EventRow[], v: Variant) =>
  usable(rows, v).filter(
    (r) => r.event === 'puzzle_completed' && r.completion_time_seconds !== null,
  );
const count = (rows: EventRow[], v: Variant, event: string) =>
  usable(rows, v).filter((r) => r.event === event).length;
const sessions = (rows: EventRow[], v: Variant) =>
  new Set(usable(rows, v).map((r) => r.session_id));

function moments(xs: number[]) {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { n: xs.length, mean, variance, sd: Math.sqrt(variance) };
}
type Moments = ReturnType<typeof moments>;

function welch(a: Moments, b: Moments): number {
  const [va, vb] = [a.variance / a.n, b.variance / b.n];
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  return 2 * tCdf(-Math.abs((b.mean - a.mean) / Math.sqrt(va + vb)), df);
}
const pooledVariance = (a: Moments, b: Moments) =>
  ((a.n - 1) * a.variance + (b.n - 1) * b.variance) / (a.n + b.n - 2);

/** Every raw_stats figure the analysis gives when completion times are first averaged per unit. */
function perUnitStats(rows: EventRow[], unit: (r: EventRow) => string | null): Partial<RawStats> {
  const unitMeans = (v: Variant) => {
    const groups = new Map<string | null, number[]>();
    for (const r of completions(rows, v))
      groups.set(unit(r), [...(groups.get(unit(r)) ?? []), r.completion_time_seconds!]);
    return [...groups.values()].map((ts) => ts.reduce((s, t) => s + t, 0) / ts.length);
  };
  const a = moments(unitMeans('A'));
  const b = moments(unitMeans('B'));
  return {
    mean_a: a.mean,
    mean_b: b.mean,
    std_a: a.sd,
    std_b: b.sd,
    p_value: welch(a, b),
    cohens_d: (b.mean - a.mean) / Math.sqrt(pooledVariance(a, b)),
  };
}

/** pandas: df.drop_duplicates(subset=['distinct_id', 'session_id'], keep='last') on rows in id order. */
function dropDuplicatesKeepLast(rows: EventRow[]): EventRow[] {
  const last = new Map<string, number>();
  rows.forEach((r) => last.set(`${r.distinct_id}|${r.session_id}`, r.id));
  return rows.filter((r) => last.get(`${r.distinct_id}|${r.session_id}`) === r.id);
}

/**
 * The spec's condition for a wrong definition to be diagnosable at all: on these rows it differs from
 * the right one by more than 0.5% (relative to the right figure) and 1e-6. With equal group sizes, for
 * instance, Student's p and the averaged-variance d coincide with the right figures.
 */
const toldApart = (wrong: number, rightFigure: number) =>
  Math.abs(wrong - rightFigure) > Math.max(0.005 * Math.abs(rightFigure), 1e-6);

const timesA = moments(completions(canonical, 'A').map((r) => r.completion_time_seconds!));
const timesB = moments(completions(canonical, 'B').map((r) => r.completion_time_seconds!));

// --- Tests --------------------------------------------------------------------------------------

describe('computeDiagnostics on the canonical dataset', () => {
  it('finds nothing in a correct raw_stats, exact or rounded to 4 significant digits', () => {
    expect(diagnose(right)).toEqual([]);
    const rounded = Object.fromEntries(
      Object.entries(right).map(([k, v]) => [k, v === null ? v : Number(v.toPrecision(4))]),
    );
    expect(diagnose(rounded)).toEqual([]);
  });

  it("names the article's mistake: completion rates as the share of sessions that ever completed", () => {
    const sessionShare = (v: Variant) => {
      const completed = new Set(
        usable(canonical, v)
          .filter((r) => r.event === 'puzzle_completed')
          .map((r) => r.session_id),
      );
      return completed.size / sessions(canonical, v).size;
    };
    const diagnostics = diagnose({
      ...right,
      completion_rate_a: sessionShare('A'),
      completion_rate_b: sessionShare('B'),
    });
    expect(found(diagnostics)).toEqual([
      'session_level_completion_rate:completion_rate_a',
      'session_level_completion_rate:completion_rate_b',
    ]);
    const attemptRateA =
      count(canonical, 'A', 'puzzle_completed') / count(canonical, 'A', 'puzzle_started');
    const [a] = diagnostics;
    expect(a?.expected).toBeCloseTo(attemptRateA, 12);
    expect(a?.message).toContain('share of sessions that ever completed');
    expect(a?.message).toContain(String(Number(sessionShare('A').toPrecision(3))));
    expect(a?.message).toContain(String(Number(attemptRateA.toPrecision(3))));

    // As a model reports them: rounded to three digits ("96.4% vs 97.5%").
    const rounded = diagnose({
      ...right,
      completion_rate_a: Number(sessionShare('A').toFixed(3)),
      completion_rate_b: Number(sessionShare('B').toFixed(3)),
    });
    expect(found(rounded)).toEqual(found(diagnostics));
  });

  it('names both mistakes when session-level rates are also reported as percentages', () => {
    const share = canonicalOracle.variants.B.session_completion_rate!;
    expect(found(diagnose({ ...right, completion_rate_b: share * 100 }))).toEqual([
      'rates_as_percent:completion_rate_b',
      'session_level_completion_rate:completion_rate_b',
    ]);
  });

  it('rates_as_percent on each rate reported ×100', () => {
    const percent = (
      field: 'completion_rate_a' | 'completion_rate_b' | 'repeat_rate_a' | 'repeat_rate_b',
    ) => right[field]! * 100;
    const diagnostics = diagnose({
      ...right,
      completion_rate_a: percent('completion_rate_a'),
      completion_rate_b: percent('completion_rate_b'),
      repeat_rate_a: percent('repeat_rate_a'),
      repeat_rate_b: percent('repeat_rate_b'),
    });
    expect(found(diagnostics)).toEqual(
      ['completion_rate_a', 'completion_rate_b', 'repeat_rate_a', 'repeat_rate_b'].map(
        (f) => `rates_as_percent:${f}`,
      ),
    );
  });

  it('repeat_rate_denominator for repeats over started events and over sessions', () => {
    const overStarted =
      count(canonical, 'A', 'puzzle_repeated') / count(canonical, 'A', 'puzzle_started');
    const overSessions = count(canonical, 'B', 'puzzle_repeated') / sessions(canonical, 'B').size;
    expect(
      found(diagnose({ ...right, repeat_rate_a: overStarted, repeat_rate_b: overSessions })),
    ).toEqual(['repeat_rate_denominator:repeat_rate_a', 'repeat_rate_denominator:repeat_rate_b']);
  });

  it('one_tailed_p for half the two-sided p', () => {
    const p = welch(timesA, timesB);
    expect(found(diagnose({ ...right, p_value: p / 2 }))).toEqual(['one_tailed_p:p_value']);
  });

  it("student_t for Student's pooled-variance test", () => {
    const t =
      (timesB.mean - timesA.mean) /
      Math.sqrt(pooledVariance(timesA, timesB) * (1 / timesA.n + 1 / timesB.n));
    const p = 2 * tCdf(-Math.abs(t), timesA.n + timesB.n - 2);
    expect(found(diagnose({ ...right, p_value: p }))).toEqual(
      toldApart(p, right.p_value!) ? ['student_t:p_value'] : [],
    );
  });

  it('cohens_d_sign for A − B, and cohens_d_unpooled for each unpooled SD', () => {
    const diff = timesB.mean - timesA.mean;
    const pooled = diff / Math.sqrt(pooledVariance(timesA, timesB));
    expect(found(diagnose({ ...right, cohens_d: -pooled }))).toEqual(['cohens_d_sign:cohens_d']);
    for (const sd of [Math.sqrt((timesA.variance + timesB.variance) / 2), timesA.sd, timesB.sd]) {
      expect(found(diagnose({ ...right, cohens_d: diff / sd }))).toEqual(
        toldApart(diff / sd, pooled) ? ['cohens_d_unpooled:cohens_d'] : [],
      );
    }
    const flipped = diagnose({ ...right, cohens_d: -diff / timesA.sd });
    expect(found(flipped)).toEqual(['cohens_d_sign:cohens_d', 'cohens_d_unpooled:cohens_d']);
  });

  it('srm_on_events for the SRM χ² on events per variant, with or without rows lacking a session', () => {
    const srmP = (a: number, b: number) => 1 - chisquareCdf((a - b) ** 2 / (a + b), 1); // even split
    const cleaned = srmP(usable(canonical, 'A').length, usable(canonical, 'B').length);
    const withVariant = (v: Variant) => canonical.filter((r) => r.variant === v).length;
    const uncleaned = srmP(withVariant('A'), withVariant('B'));
    for (const p of [cleaned, uncleaned]) {
      expect(found(diagnose({ ...right, srm_p_value: p }))).toEqual(['srm_on_events:srm_p_value']);
    }
  });

  it('per_user_mean_time for means over per-player and per-session means', () => {
    const perPlayer = perUnitStats(canonical, (r) => r.distinct_id);
    const onlyMeans = diagnose({ ...right, mean_a: perPlayer.mean_a, mean_b: perPlayer.mean_b });
    expect(found(onlyMeans)).toEqual(['per_user_mean_time:mean_a', 'per_user_mean_time:mean_b']);

    const perSession = diagnose({ ...right, ...perUnitStats(canonical, (r) => r.session_id) });
    expect(new Set(perSession.map((d) => d.id))).toEqual(new Set(['per_user_mean_time']));
    expect(found(perSession)).toEqual(
      expect.arrayContaining(
        ['p_value', 'cohens_d', 'mean_a', 'mean_b'].map((f) => `per_user_mean_time:${f}`),
      ),
    );
  });

  it('dedup_by_session for every statistic computed after drop_duplicates(keep="last")', () => {
    const deduped = computeOracle(dropDuplicatesKeepLast(canonical));
    const diagnostics = diagnose(oracleRawStats(deduped));
    expect(new Set(diagnostics.map((d) => d.id))).toEqual(new Set(['dedup_by_session']));
    expect(found(diagnostics)).toEqual(
      expect.arrayContaining(['p_value', 'mean_a', 'mean_b'].map((f) => `dedup_by_session:${f}`)),
    );
  });

  it("names the article's combined mistake: dedup by session, then per-player means", () => {
    const perPlayerAfterDedup = perUnitStats(
      dropDuplicatesKeepLast(canonical),
      (r) => r.distinct_id,
    );
    const diagnostics = diagnose({
      ...right,
      mean_a: perPlayerAfterDedup.mean_a,
      mean_b: perPlayerAfterDedup.mean_b,
    });
    expect(found(diagnostics)).toEqual(
      [
        'dedup_by_session:mean_a',
        'per_user_mean_time:mean_a',
        'dedup_by_session:mean_b',
        'per_user_mean_time:mean_b',
      ].sort(),
    );
  });

  it('reports nothing for a value wrong for no known reason', () => {
    expect(diagnose({ ...right, p_value: right.p_value! * 3, mean_a: right.mean_a! + 1 })).toEqual(
      [],
    );
  });

  it('never combines more than two mistakes in one explanation', () => {
    // Session-level rates, after dedup, ×100: three mistakes at once.
    const deduped = dropDuplicatesKeepLast(canonical);
    const completedSessions = new Set(
      usable(deduped, 'A')
        .filter((r) => r.event === 'puzzle_completed')
        .map((r) => r.session_id),
    );
    const tripled = (100 * completedSessions.size) / sessions(deduped, 'A').size;
    const ids = diagnose({ ...right, completion_rate_a: tripled }).map((d) => d.id);
    expect(ids.length).toBeLessThanOrEqual(2);
  });

  it('copes with rows too few for the statistics (empty, one variant, five rows)', () => {
    const guesses = {
      p_value: 0.3,
      cohens_d: 1,
      mean_a: 2,
      completion_rate_a: 0.5,
      srm_p_value: 0.1,
    };
    expect(diagnose(guesses, [])).toEqual([]);
    for (const rows of [canonical.filter((r) => r.variant !== 'B'), canonical.slice(0, 5)]) {
      for (const d of diagnose(guesses, rows))
        expect(d.reported).toBe(guesses[d.field as keyof typeof guesses]);
    }
  });

  it('explains a value where the right figure is undefined, and says why it is', () => {
    // Hand-built: variant A has completions but no puzzle_started event, so its attempt rate is 0/0.
    const row = (id: number, event: string, variant: string, session: string): EventRow => ({
      id,
      event,
      distinct_id: `p-${session}`,
      session_id: session,
      timestamp: `2026-09-01T10:00:0${id}+00:00`,
      variant,
      feature_flag_response: variant,
      completion_time_seconds: event === 'puzzle_completed' ? id : null,
      correct_words_count: null,
      total_guesses_count: null,
    });
    const rows = [
      row(1, 'puzzle_completed', 'A', 's1'),
      row(2, 'puzzle_completed', 'A', 's2'),
      row(3, 'puzzle_started', 'B', 's3'),
      row(4, 'puzzle_completed', 'B', 's3'),
    ];
    const [d, ...rest] = diagnose({ completion_rate_a: 1 }, rows);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ id: 'session_level_completion_rate', expected: null, reported: 1 });
    expect(d?.message).toMatch(/is undefined on these rows \(.*puzzle_started.*\)/);
  });

  it('ignores missing and non-numeric reported values', () => {
    expect(
      diagnose({ p_value: String(right.p_value! / 2), cohens_d: null, mean_a: Number.NaN }),
    ).toEqual([]);
  });

  it('rejects a trace whose requests are not a list of row counts', () => {
    expect(() => diagnose(right, canonical, { requests: [{ rows_returned: 'all' }] })).toThrow(
      /trace\.requests/,
    );
  });
});

describe('first_page_only', () => {
  const paginated = generateDataset('large-paginated');
  const firstRows = (n: number) => [...paginated].sort((x, y) => x.id - y.id).slice(0, n);

  it('is not considered for a table of one page or less, unless the trace shows a smaller page', () => {
    expect(paginated.length).toBeGreaterThan(1000);
    const small = canonical.slice(0, 1000);
    const onFirstRows = oracleRawStats(computeOracle(small.slice(0, 500)));
    expect(diagnose(onFirstRows, small).some((d) => d.id === 'first_page_only')).toBe(false);
  });

  it('names statistics computed on the first 1000 rows only', () => {
    const diagnostics = diagnose(oracleRawStats(computeOracle(firstRows(1000))), paginated);
    expect(new Set(diagnostics.map((d) => d.id))).toEqual(new Set(['first_page_only']));
    expect(found(diagnostics)).toEqual(
      expect.arrayContaining(['p_value', 'mean_a', 'mean_b'].map((f) => `first_page_only:${f}`)),
    );
    expect(diagnostics[0]?.message).toContain(`first 1000 rows only (of ${paginated.length})`);
  });

  it("uses the page size the trace shows (a run's smaller limit)", () => {
    const rawStats = oracleRawStats(computeOracle(firstRows(500)));
    const trace = { requests: [{ rows_returned: 500, total_rows: paginated.length }] };
    expect(diagnose(rawStats, paginated).some((d) => d.id === 'first_page_only')).toBe(false);
    expect(diagnose(rawStats, paginated, trace).some((d) => d.id === 'first_page_only')).toBe(true);
  });

  it('counts rows over pages: three pages of 500 read, the rest not', () => {
    const page = (offset: number) => ({ rows_returned: 500, range: { offset, limit: 500 } });
    const trace = { requests: [page(0), page(500), page(1000)] };
    const diagnostics = diagnose(oracleRawStats(computeOracle(firstRows(1500))), paginated, trace);
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) expect(d.message).toContain('first 1500 rows only');
    // A later page alone is not a first page: its row count is no prefix size.
    const later = { requests: [{ rows_returned: 700, range: { offset: 3000, limit: 700 } }] };
    const onFirst700 = oracleRawStats(computeOracle(firstRows(700)));
    expect(diagnose(onFirst700, paginated, later).some((d) => d.id === 'first_page_only')).toBe(
      false,
    );
  });
});

describe.each(SCENARIO_NAMES)('scenario %s', (scenario) => {
  const rows = generateDataset(scenario);
  const oracle = computeOracle(rows);
  const exact = oracleRawStats(oracle);
  const run = (rawStats: Reported) => found(computeDiagnostics({ rows, oracle, rawStats }));
  const roundedTo = (digits: number) =>
    Object.fromEntries(
      Object.entries(exact).map(([k, v]) => [k, v === null ? v : Number(v.toPrecision(digits))]),
    );

  it('a correct raw_stats, exact or rounded to 3 significant digits, gets no diagnostic', () => {
    expect(run(exact)).toEqual([]);
    expect(run(roundedTo(3))).toEqual([]);
  });

  it('rates ×100, a one-tailed p and a flipped d are each named', () => {
    const planted = run({
      ...exact,
      completion_rate_a: exact.completion_rate_a! * 100,
      p_value: exact.p_value! / 2,
      cohens_d: -exact.cohens_d!,
    });
    // Below 1e-6 a p is within the absolute tolerance of its half: the two cannot be told apart.
    const oneTailed = toldApart(exact.p_value! / 2, exact.p_value!) ? ['one_tailed_p:p_value'] : [];
    expect(planted).toEqual(
      ['rates_as_percent:completion_rate_a', 'cohens_d_sign:cohens_d', ...oneTailed].sort(),
    );
  });
});

describe('followsWrongBetter (the "better than the right definition" rule)', () => {
  it('needs the reported value within 0.5% (or 1e-6) of the wrong figure', () => {
    expect(followsWrongBetter(0.96, 0.9604, 0.889)).toBe(true);
    expect(followsWrongBetter(0.95, 0.9604, 0.889)).toBe(false);
    expect(followsWrongBetter(5e-7, 1.2e-6, 0.3)).toBe(true);
  });

  it('never fires when the two definitions agree within tolerance on these rows', () => {
    expect(followsWrongBetter(0.5, 0.5, 0.501)).toBe(false);
  });

  it('when the value is within tolerance of both, fires only if strictly closer to the wrong one', () => {
    // wrong 1.000, right 1.008: told apart (0.8%), and 1.004 is within 0.5% of both.
    expect(followsWrongBetter(1.003, 1.0, 1.008)).toBe(true);
    expect(followsWrongBetter(1.005, 1.0, 1.008)).toBe(false);
    expect(followsWrongBetter(1.004, 1.0, 1.008)).toBe(false);
  });

  it('treats an undefined right figure as told apart', () => {
    expect(followsWrongBetter(1, 1, null)).toBe(true);
  });
});
