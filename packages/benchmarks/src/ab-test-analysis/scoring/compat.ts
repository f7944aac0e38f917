import type { RunFolder } from '@localds/scorer';
import { CHART_FILES, type CheckId } from './checks-table.js';
import {
  chartsLabeledEvidence,
  dataAccessEvidence,
  dataQualityEvidence,
  decisionGroundedEvidence,
  hypothesisTestsEvidence,
  srmEvidence,
} from './evidence.js';
import {
  cohensDCheck,
  completionRatesCheck,
  pValueCheck,
  rawStatsOf,
  recommendedVariantCheck,
} from './numeric.js';
import type { ScoringOracle } from './oracle-like.js';
import { articleSource, type ScoredSource } from '@localds/scorer';
import { compatSummaryValid, type SummaryReading } from './compat-summary.js';
import type { CheckOutcome } from '@localds/scorer';

/** The article's charts_exist: the three files exist, whatever their content. */
function compatChartsExist(folder: RunFolder): CheckOutcome {
  const found = CHART_FILES.filter((c) => folder.files.has(c));
  if (found.length === 3) return { pass: true, detail: 'all 3 chart files present' };
  const missing = CHART_FILES.filter((c) => !folder.files.has(c));
  return { pass: false, detail: `found ${found.length}/3, missing: ${missing.join(', ')}` };
}

export interface CompatReading {
  outcomes: Record<CheckId, CheckOutcome>;
  summary: SummaryReading;
  source: ScoredSource;
  notes: string[];
}

/*
 * Compat mode re-implements scripts/score-ds-run.py of eeshansrivastava89/local-llm-visual-benchmark
 * (the 12-check version at commit c2cc909, which also falls back to a top-level *.py file and accepts
 * `cfg["..."]` lookups as data access). Same ids, labels, points, tolerances (taken from the oracle's
 * `tolerance` with defaults p 0.05, d 0.1, rate 0.05), regexes with Python `re` semantics, and the same
 * details, except the text of JSON parse errors. Measured: identical pass/fail and details on every check
 * of 1,600 randomly generated folders and on the reference solution's real run.
 *
 * Odd behaviour kept on purpose (it is the article's score): evidence is regex-only; markdown cells are
 * never read; chart files only need to exist; a missing summary "recommends" None, which matches an
 * oracle that recommends nothing; "not significant" counts as citing significance.
 *
 * Where that script stops with a Python exception instead of scoring (summary.json that is not an
 * object, raw_stats or decision of the wrong type, a string where a number is compared, a notebook
 * whose code cell source is not text), we score the affected check as failed and add a note.
 */

/**
 * The article's twelve checks, in its reading order: summary.json first, then the code source.
 * Where its script would stop with a Python error we score the check as failed and add a note.
 */
export function compatChecks(folder: RunFolder, oracle: ScoringOracle): CompatReading {
  const summary = compatSummaryValid(folder);
  const source = articleSource(folder);
  const data = summary.data;
  const raw = rawStatsOf(data);
  const notes: string[] = [];
  if (summary.problem) notes.push(summary.problem);
  if (source.problem)
    notes.push(`${source.problem}; the article's scorer stops here, scored as no code`);

  let decision = '';
  if (typeof data.decision === 'string') decision = data.decision;
  else if (data.decision !== undefined) {
    notes.push('summary "decision" is not a string (the article\'s scorer stops with an error)');
  }

  const outcomes: Record<CheckId, CheckOutcome> = {
    summary_valid: summary.outcome,
    data_access: dataAccessEvidence(source.text),
    data_quality: dataQualityEvidence(source.text),
    srm_test: srmEvidence(source.text),
    hypothesis_tests: hypothesisTestsEvidence(source.text),
    p_value: pValueCheck(raw, oracle),
    cohens_d: cohensDCheck(raw, oracle),
    completion_rates: completionRatesCheck(raw, oracle),
    charts_exist: compatChartsExist(folder),
    charts_labeled: chartsLabeledEvidence(source.text),
    recommended_variant: recommendedVariantCheck(data, oracle),
    decision_grounded: decisionGroundedEvidence(decision, source.text),
  };
  return { outcomes, summary, source, notes };
}
