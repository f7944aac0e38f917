import { PY_D, PY_DOT, PY_S } from '@localds/scorer';
import type { CheckOutcome } from '@localds/scorer';

/**
 * The article's static evidence rules: regular expressions over the code source (and the summary's
 * decision text). Ported with Python `re` semantics (see py.ts). Kept although weak — they are what
 * compat mode reproduces: a cell that merely contains `requests.get(` and the word apikey passes
 * data_access; "not significant" counts as citing significance; markdown cells are never searched.
 */
const re = (source: string, flags = '') => new RegExp(pythonDots(source), `u${flags}`);

/** Rewrites each unescaped `.` outside a character class as Python's `.` (anything but \n). */
function pythonDots(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      out += ch + (source[++i] ?? '');
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    out += ch === '.' && !inClass ? PY_DOT : ch;
  }
  return out;
}

const has = (pattern: RegExp, text: string) => pattern.test(text);

const API_CALL = re(String.raw`requests\.(get|post)${PY_S}*\(`);
const SUPABASE_URL = re(String.raw`SUPABASE_URL|supabase.*rest|nazioidbiydxduonenmb`, 'i');
const KEY_NAME = re(String.raw`apikey|api_key|ANON_KEY`, 'i');
const CONFIG_READ = re(String.raw`open\(['"]supabase\.json['"]\)`);
const CONFIG_USE = re(String.raw`(cfg|config|supabase_config)${PY_S}*\[['"]`);

export function dataAccessEvidence(source: string): CheckOutcome {
  const call = has(API_CALL, source);
  if (call && has(SUPABASE_URL, source))
    return { pass: true, detail: 'Supabase API calls with inline credentials' };
  if (call && has(KEY_NAME, source)) return { pass: true, detail: 'API calls with auth headers' };
  if (call && has(CONFIG_READ, source))
    return { pass: true, detail: 'API calls using supabase.json config' };
  if (call && has(CONFIG_USE, source))
    return { pass: true, detail: 'API calls with config-loaded credentials' };
  return { pass: false, detail: 'no Supabase API calls detected in source' };
}

const NULL_HANDLING = re(
  String.raw`dropna|fillna|isnull|isna|notnull|notna|\.info\(\)|\.describe\(\)|\.dtypes`,
);
const TYPE_CONVERSION = re(String.raw`pd\.to_numeric|astype\(|pd\.to_datetime`);
const VALIDATION = re(
  String.raw`assert|raise.*[Vv]alue|print\(.*[Vv]alidation|print\(.*[Ss]anity|# [Ss]anity|# [Vv]alidate`,
);

/** Two of three kinds of evidence are needed. */
function twoOf(found: string[], none: string, only: (first: string) => string): CheckOutcome {
  if (found.length >= 2) return { pass: true, detail: found.join(', ') };
  if (found.length === 1) return { pass: false, detail: only(found[0]!) };
  return { pass: false, detail: none };
}

export function dataQualityEvidence(source: string): CheckOutcome {
  const found = [
    has(NULL_HANDLING, source) && 'null handling',
    has(TYPE_CONVERSION, source) && 'type conversion',
    has(VALIDATION, source) && 'validation/asserts',
  ].filter((f): f is string => typeof f === 'string');
  return twoOf(found, 'no data quality checks detected', (f) => `only found ${f} (need 2+)`);
}

const SRM = re(String.raw`SRM|sample.?ratio|mismatch|chi2.*sample|chisquare.*variant`, 'i');

export function srmEvidence(source: string): CheckOutcome {
  return has(SRM, source)
    ? { pass: true, detail: 'SRM check found' }
    : { pass: false, detail: 'no SRM check detected' };
}

const T_TEST = re(String.raw`ttest_ind|ttest_rel|ttest_1samp|welch`, 'i');
// `chi2\b`: Python's \b is Unicode-aware, so the boundary is "no Unicode word character follows".
const CHI2 = re(String.raw`chi2_contingency|chisquare|chi2(?![\p{L}\p{N}_])`);

/** Odd but kept: chi-square without a t-test reports "no t-test or chi-square found". */
export function hypothesisTestsEvidence(source: string): CheckOutcome {
  const ttest = has(T_TEST, source);
  const chi2 = has(CHI2, source);
  if (ttest && chi2) return { pass: true, detail: 'found: t-test, chi-square' };
  if (ttest) return { pass: false, detail: 'found t-test, missing chi-square' };
  return { pass: false, detail: 'no t-test or chi-square found' };
}

const TITLE = re(String.raw`\.set_title\(|plt\.title\(|\.suptitle\(|title${PY_S}*=`);
const X_LABEL = re(String.raw`\.set_xlabel\(|plt\.xlabel\(|xlabel${PY_S}*=`);
const Y_LABEL = re(String.raw`\.set_ylabel\(|plt\.ylabel\(|ylabel${PY_S}*=`);

/** Odd but kept: any two of titles / x-labels / y-labels pass, although the message asks for titles. */
export function chartsLabeledEvidence(source: string): CheckOutcome {
  const found = [
    has(TITLE, source) && 'titles',
    has(X_LABEL, source) && 'x-labels',
    has(Y_LABEL, source) && 'y-labels',
  ].filter((f): f is string => typeof f === 'string');
  if (found.length >= 2) return { pass: true, detail: found.join(', ') };
  if (found.length)
    return { pass: false, detail: `only ${found.join(', ')} (need titles + labels)` };
  return { pass: false, detail: 'no chart labels or titles detected' };
}

const RATES = re(String.raw`${PY_D}+\.?${PY_D}*${PY_S}*%`);
const P_VALUE = re(String.raw`p${PY_S}*[<=>]${PY_S}*0\.${PY_D}+|p.?value|p value`, 'i');
const EFFECT = re(String.raw`Cohen|effect size|d${PY_S}*[<=>=\-]${PY_S}*[${PY_D}.]`, 'i');
const SIGNIFICANT = re('significant', 'i');
const CONCLUSION = re('conclusion|recommendation|decision|verdict', 'i');
const METRICS = ['completion time', 'completion rate', 'repeat rate'];

/**
 * Two references needed, counted from the summary's `decision` and the code source. Odd but kept: the
 * "conclusion section" is looked for in code cells only, where `summary["decision"] = ...` matches.
 */
export function decisionGroundedEvidence(decision: string, source: string): CheckOutcome {
  const refs: string[] = [];
  if (has(RATES, decision)) refs.push('specific rates');
  if (has(P_VALUE, decision)) refs.push('p-value');
  if (has(EFFECT, decision)) refs.push('effect size');
  if (has(SIGNIFICANT, decision)) refs.push('statistical significance');
  if (has(CONCLUSION, source)) refs.push('conclusion section');
  const metric = METRICS.find((m) => decision.toLowerCase().includes(m));
  if (metric) refs.push(metric);
  if (refs.length >= 2) return { pass: true, detail: refs.slice(0, 3).join(', ') };
  if (refs.length) return { pass: false, detail: `only ${refs[0]} (need 2+ references)` };
  return { pass: false, detail: 'decision does not cite specific data' };
}
