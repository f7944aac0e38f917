import { z } from 'zod';
import { oracleRawStats } from '../oracle/raw-stats.js';
import type { Oracle, Stat } from '../oracle/types.js';

/**
 * The oracle as the checks use it. Either our full `Oracle` or the article's oracle JSON
 * (`recommended_variant`, `raw_stats`, `tolerance`) is accepted and normalised to this.
 */
export interface ScoringOracle {
  raw_stats: Partial<Record<string, Stat>>;
  recommended_variant: unknown;
  /** The article's `tolerance.get(...)` keys with its defaults. */
  tolerance: { p_value: number; cohens_d: number; rate_pct: number };
  /** Present when a full Oracle was given: event-based SRM, reasons for undefined values, etc. */
  full: Oracle | null;
}

export const ArticleOracleSchema = z
  .object({
    status: z.string().optional(),
    recommended_variant: z.enum(['A', 'B']).nullable().optional(),
    raw_stats: z.record(z.string(), z.number().nullable()),
    tolerance: z
      .object({
        p_value: z.number().optional(),
        cohens_d: z.number().optional(),
        rate_pct: z.number().optional(),
        mean_pct: z.number().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();
export type ArticleOracle = z.infer<typeof ArticleOracleSchema>;

export type OracleLike = Oracle | ArticleOracle;

export const DEFAULT_TOLERANCE = { p_value: 0.05, cohens_d: 0.1, rate_pct: 0.05 } as const;

export function isFullOracle(oracle: OracleLike): oracle is Oracle {
  return 'variants' in oracle && 'rows_total' in oracle && !('raw_stats' in oracle);
}

export function normaliseOracle(oracle: OracleLike): ScoringOracle {
  if (isFullOracle(oracle)) {
    return {
      raw_stats: oracleRawStats(oracle),
      recommended_variant: oracle.recommended_variant,
      tolerance: { ...DEFAULT_TOLERANCE },
      full: oracle,
    };
  }
  const parsed = ArticleOracleSchema.parse(oracle);
  return {
    raw_stats: parsed.raw_stats,
    recommended_variant: parsed.recommended_variant ?? null,
    tolerance: { ...DEFAULT_TOLERANCE, ...definedOnly(parsed.tolerance ?? {}) },
    full: null,
  };
}

function definedOnly(tolerance: Record<string, unknown>): Partial<ScoringOracle['tolerance']> {
  const out: Partial<ScoringOracle['tolerance']> = {};
  for (const key of ['p_value', 'cohens_d', 'rate_pct'] as const) {
    const v = tolerance[key];
    if (typeof v === 'number') out[key] = v;
  }
  return out;
}

/** Parses an oracle file's JSON: the article's format or a full Oracle, with a clear error. */
export function parseOracleJson(value: unknown): OracleLike {
  if (typeof value === 'object' && value !== null && 'raw_stats' in value) {
    const parsed = ArticleOracleSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`oracle JSON: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    return parsed.data;
  }
  const full = value as Partial<Oracle> | null;
  if (full && typeof full === 'object' && 'variants' in full && 'p_value' in full) {
    return full as Oracle;
  }
  throw new Error(
    "oracle JSON has neither raw_stats (the article's format) nor the fields of a localds oracle",
  );
}
