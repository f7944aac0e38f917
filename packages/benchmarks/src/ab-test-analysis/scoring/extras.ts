import type { EventRow } from '../events.js';
import { computeDiagnostics, type Diagnostic } from '../diagnostics/index.js';
import type { Oracle } from '../oracle/types.js';
import { precisionBlock, type PrecisionBlock } from '../precision.js';
import type { Trace } from '@localds/scorer';
import { rawStatsOf } from './numeric.js';
import type { ScoringOracle } from './oracle-like.js';

/**
 * The blocks that do not change the total: precision (tighter tolerances) and diagnostics (which
 * usual wrong definition the run's values follow). Both need a full oracle; diagnostics need rows.
 */
export function scoreExtras(
  summary: Record<string, unknown>,
  oracle: ScoringOracle,
  full: Oracle | null,
  rows: readonly EventRow[] | null,
  trace: Trace | null,
  notes: string[],
): { precision: PrecisionBlock | null; diagnostics: Diagnostic[] } {
  if (!full) {
    notes.push(
      'precision and diagnostics not computed: they need the rows or a full localds oracle',
    );
    return { precision: null, diagnostics: [] };
  }
  if (!oracle.full) notes.push('precision and diagnostics use the oracle computed from the rows');
  const rawStats = rawStatsOf(summary);
  const precision = precisionBlock(rawStats, full);
  if (!rows) {
    notes.push(
      'diagnostics not computed: they need the rows (--data, --scenario or a run.json snapshot)',
    );
    return { precision, diagnostics: [] };
  }
  return {
    precision,
    diagnostics: computeDiagnostics({ rows, oracle: full, rawStats, trace: trace ?? undefined }),
  };
}
