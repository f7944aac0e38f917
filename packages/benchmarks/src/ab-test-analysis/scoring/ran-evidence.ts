import { codeCells } from '@localds/scorer';
import type { RunFolder } from '@localds/scorer';
import type { Trace } from '@localds/scorer';
import type { CompatReading } from './compat.js';
import {
  dataQualityEvidence,
  decisionGroundedEvidence,
  hypothesisTestsEvidence,
  srmEvidence,
} from './evidence.js';
import type { CheckOutcome } from '@localds/scorer';

type CodeChecks = 'data_quality' | 'srm_test' | 'hypothesis_tests' | 'decision_grounded';

/**
 * Full mode's code evidence: the article's regexes, searched only in the code cells the trace says ran
 * without error (trace cell `index` is the code cell's position). A t-test in a cell that crashed was
 * not performed, so it is no evidence that it was. With every cell clean this equals compat mode.
 */
export function ranEvidence(
  folder: RunFolder,
  trace: Trace,
  compat: CompatReading,
): Record<CodeChecks, CheckOutcome> {
  const cells = folder.notebook?.notebook ? codeCells(folder.notebook.notebook) : [];
  const clean = new Set(trace.cells.filter((c) => c.status === 'ok').map((c) => c.index));
  const source = cells.filter((_, i) => clean.has(i)).join('\n');
  const skipped = cells.length - cells.filter((_, i) => clean.has(i)).length;
  const decision = compat.summary.data.decision;
  const note = (o: CheckOutcome): CheckOutcome =>
    skipped
      ? { ...o, detail: `${o.detail} (${skipped} cell(s) that did not run cleanly not counted)` }
      : o;
  return {
    data_quality: note(dataQualityEvidence(source)),
    srm_test: note(srmEvidence(source)),
    hypothesis_tests: note(hypothesisTestsEvidence(source)),
    decision_grounded: note(
      decisionGroundedEvidence(typeof decision === 'string' ? decision : '', source),
    ),
  };
}
