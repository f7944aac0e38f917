import { abTestScoring } from '../../index.js';
import { describe, expect, it } from 'vitest';
import {
  chartsLabeledEvidence,
  dataAccessEvidence,
  dataQualityEvidence,
  decisionGroundedEvidence,
  hypothesisTestsEvidence,
  srmEvidence,
} from '../scoring/evidence.js';
import { formatG, pyEquals, pyFloatRepr, pyJsonDumpsLength } from '@localds/scorer';
import { readRunFolderFiles, scoreRun, type RunFolderFiles } from '@localds/scorer';

const enc = (s: string) => new TextEncoder().encode(s);
const nb = (...cells: { cell_type: string; source: unknown }[]) =>
  JSON.stringify({ nbformat: 4, cells });
const ORACLE = {
  recommended_variant: 'A' as const,
  raw_stats: { p_value: 0.0005, cohens_d: 0.41, completion_rate_a: 0.93, completion_rate_b: 0.65 },
};
const score = (files: [string, string][], oracle: object = ORACLE) =>
  scoreRun(readRunFolderFiles(new Map(files.map(([k, v]) => [k, enc(v)])) as RunFolderFiles), {
    benchmark: abTestScoring,
    oracle: oracle as typeof ORACLE,
  });

describe('Python formatting the article details rely on', () => {
  it('formats like format(x, ".6g") and repr(float)', () => {
    expect(formatG(0.000474949216834287, 6)).toBe('0.000474949');
    expect(formatG(0.00001234567, 6)).toBe('1.23457e-05');
    expect(formatG(1234567, 6)).toBe('1.23457e+06');
    expect(formatG(0.05, 4)).toBe('0.05');
    expect(formatG(-3.49, 6)).toBe('-3.49');
    expect(formatG(NaN, 6)).toBe('nan');
    expect(formatG(100, 6)).toBe('100');
    expect(pyFloatRepr(0.00001)).toBe('1e-05');
    expect(pyFloatRepr(0.9337)).toBe('0.9337');
    expect(pyFloatRepr(1e22)).toBe('1e+22');
  });

  it('compares like Python == and measures json.dumps', () => {
    expect(pyEquals(null, undefined)).toBe(true);
    expect(pyEquals(true, 1)).toBe(true);
    expect(pyEquals('A', 'a')).toBe(false);
    expect(pyEquals(NaN, NaN)).toBe(false);
    expect(pyEquals({ a: [1, 'x'] }, { a: [1, 'x'] })).toBe(true);
    // json.dumps({"a": [1, "é"], "b": None}) == '{"a": [1, "\\u00e9"], "b": null}' (31 chars)
    expect(pyJsonDumpsLength({ a: [1, 'é'], b: null })).toBe(31);
  });
});

describe('the article evidence regexes', () => {
  it('data_access: an API call plus a URL, a key name, the config file or config lookups', () => {
    expect(dataAccessEvidence('r = requests.get (f"{SUPABASE_URL}/rest/v1/x")').pass).toBe(true);
    expect(dataAccessEvidence('requests.post(url, headers={"apikey": k})').detail).toBe(
      'API calls with auth headers',
    );
    expect(dataAccessEvidence('requests.get(cfg["url"])').detail).toBe(
      'API calls with config-loaded credentials',
    );
    // The weakness the issue names: no real request needed, but a call is.
    expect(dataAccessEvidence('# requests.get( apikey').pass).toBe(true);
    expect(dataAccessEvidence('pyfetch(SUPABASE_URL)').pass).toBe(false);
    expect(dataAccessEvidence('Requests.get(SUPABASE_URL)').pass).toBe(false);
  });

  it("uses Python's '.' (stops only at \\n), so \\r does not break a match", () => {
    expect(srmEvidence('chi2 = 1\r# per sample').pass).toBe(true);
    expect(srmEvidence('chi2 = 1\n# per sample').pass).toBe(false);
    expect(srmEvidence('Sample-Ratio').pass).toBe(true);
  });

  it('data_quality needs two kinds; hypothesis tests need both tests', () => {
    expect(dataQualityEvidence('df.dropna()').detail).toBe('only found null handling (need 2+)');
    expect(dataQualityEvidence('df.isna(); x.astype(int)').pass).toBe(true);
    expect(hypothesisTestsEvidence('WELCH; chi2(').pass).toBe(true);
    expect(hypothesisTestsEvidence('welch; chi2_x').detail).toBe(
      'found t-test, missing chi-square',
    );
    expect(hypothesisTestsEvidence('chi2_contingency').detail).toBe(
      'no t-test or chi-square found',
    );
    // Python's \b is Unicode-aware: a letter after chi2 is no boundary.
    expect(hypothesisTestsEvidence('welch chi2é').pass).toBe(false);
  });

  it('charts_labeled passes any two of titles, x-labels, y-labels', () => {
    expect(chartsLabeledEvidence('ax.set_xlabel("x"); ax.set_ylabel("y")').pass).toBe(true);
    expect(chartsLabeledEvidence('plt.title("t")').detail).toBe(
      'only titles (need titles + labels)',
    );
  });

  it('decision_grounded counts references in the decision and a conclusion word in the code', () => {
    expect(decisionGroundedEvidence('A is not significant', '').detail).toBe(
      'only statistical significance (need 2+ references)',
    );
    expect(decisionGroundedEvidence('Completion rate 93%', '').detail).toBe(
      'specific rates, completion rate',
    );
    expect(decisionGroundedEvidence('', '# Verdict').pass).toBe(false);
    expect(decisionGroundedEvidence('p < 0.01', 'decision = 1').pass).toBe(true);
  });
});

describe('compat scoring of odd folders, as the article would', () => {
  it('an empty folder: only recommended_variant can pass, and only if the oracle recommends nothing', async () => {
    const none = await score([], { ...ORACLE, recommended_variant: null });
    expect(none.earned).toBe(10);
    expect(none.checks.recommended_variant!.pass).toBe(true);
    expect((await score([])).earned).toBe(0);
  });

  it('falls back to the first .py file when the notebook is missing or not JSON', async () => {
    const card = await score([
      ['analysis.ipynb', '{not json'],
      ['b.py', ''],
      ['a.py', 'import requests\r\nrequests.get(SUPABASE_URL)\r\n'],
    ]);
    expect(card.checks.data_access!.pass).toBe(true);
    // A notebook that parses but has no code: no fallback.
    const parsed = await score([
      ['analysis.ipynb', nb({ cell_type: 'markdown', source: 'requests.get(SUPABASE_URL)' })],
      ['a.py', 'requests.get(SUPABASE_URL)'],
    ]);
    expect(parsed.checks.data_access!.pass).toBe(false);
  });

  it('required fields may be null (summary_valid passes, the value checks fail)', async () => {
    const summary = JSON.stringify({
      status: null,
      recommended_variant: 'A',
      raw_stats: Object.fromEntries(
        [
          'p_value',
          'cohens_d',
          'mean_a',
          'mean_b',
          'completion_rate_a',
          'completion_rate_b',
          'srm_p_value',
        ].map((k) => [k, null]),
      ),
    });
    const card = await score([['summary.json', summary]]);
    expect(card.checks.summary_valid!.pass).toBe(true);
    expect(card.checks.p_value!.detail).toBe('p_value missing from run');
    expect(card.checks.completion_rates!.detail).toBe(
      'both rates off: A:None B:None, oracle A:0.93 B:0.65',
    );
  });

  it('Cohen d is compared by magnitude; a string value fails with a note-worthy detail', async () => {
    const raw = {
      p_value: '0.0005',
      cohens_d: -0.45,
      completion_rate_a: 0.93,
      completion_rate_b: 0.71,
    };
    const card = await score([['summary.json', JSON.stringify({ raw_stats: raw })]]);
    expect(card.checks.cohens_d!.pass).toBe(true);
    expect(card.checks.p_value!.detail).toMatch(/not a number/);
    expect(card.checks.completion_rates!.detail).toBe('rate B off (tolerance ±0.05)');
    // Same double arithmetic as Python: 0.70 - 0.65 = 0.04999999999999993 <= 0.05 passes.
    const edge = { ...raw, completion_rate_b: 0.7 };
    const edgeCard = await score([['summary.json', JSON.stringify({ raw_stats: edge })]]);
    expect(edgeCard.checks.completion_rates!.pass).toBe(true);
    expect(card.checks.summary_valid!.detail).toBe(
      'missing: status, recommended_variant, raw_stats.mean_a, raw_stats.mean_b, raw_stats.srm_p_value',
    );
  });

  it('a notebook the article would crash on is scored as no code, with a note', async () => {
    const card = await score([['analysis.ipynb', nb({ cell_type: 'code', source: [1, 2] })]]);
    expect(card.notes.some((n) => n.includes('source that is not text'))).toBe(true);
    expect(card.checks.data_access!.pass).toBe(false);
  });
});
