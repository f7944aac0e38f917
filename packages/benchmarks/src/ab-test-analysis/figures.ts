import type { Figures } from '../definition.js';
import { summaryFigures } from '../figures.js';
import { oracleRawStats } from './oracle/index.js';
import { isFullOracle, type OracleLike } from './scoring/oracle-like.js';

const DECISION_FIELDS = ['status', 'recommended_variant'] as const;

/** The oracle's status, recommendation and raw_stats (ours, or the article's oracle JSON). */
export function abTestOracleFigures(oracle: OracleLike): Figures {
  if (isFullOracle(oracle)) {
    return {
      decision: { status: oracle.status, recommended_variant: oracle.recommended_variant },
      raw_stats: { ...oracleRawStats(oracle) },
      reasons: oracle.decision_reasons,
    };
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    decision: {
      status: text(oracle.status),
      recommended_variant: text(oracle.recommended_variant),
    },
    raw_stats: { ...oracle.raw_stats },
  };
}

/** The same fields as a run's summary.json reports them. */
export function abTestSummaryFigures(summary: unknown): Figures | null {
  return summaryFigures(summary, DECISION_FIELDS);
}
