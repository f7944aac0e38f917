/**
 * An oracle file (`localds score --oracle`, or `localds oracle --format json` saved) read back with zod:
 * the fields the checks compare against must be there with their types, or the error names them.
 */
import { z } from 'zod';
import type { RetentionOracle } from './oracle-types.js';

const stat = z.number().finite().nullable();
const count = z.number().int().nonnegative();
const CohortRowSchema = z.object({
  cohort_monday: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  variant: z.enum(['A', 'B']),
  players: count,
  d1: stat,
  d7: stat,
  d14: stat,
});

const RetentionOracleSchema = z.looseObject({
  benchmark: z.literal('retention-cohorts'),
  d1_retention_a: stat,
  d1_retention_b: stat,
  d7_retention_a: stat,
  d7_retention_b: stat,
  d14_retention_a: stat,
  d14_retention_b: stat,
  d7_eligible_a: count,
  d7_eligible_b: count,
  d7_p_value: stat,
  d7_diff_ci_low: stat,
  d7_diff_ci_high: stat,
  srm_p_value: stat,
  mixed_players: count,
  cohort_table: z.array(CohortRowSchema),
  status: z.enum(['significant', 'not_significant', 'inconclusive']),
  recommended_variant: z.enum(['A', 'B']).nullable(),
  decision_reasons: z.array(z.string()),
  undefined_reasons: z.record(z.string(), z.string()),
});

export function parseRetentionOracle(json: unknown): RetentionOracle {
  const parsed = RetentionOracleSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`not a retention-cohorts oracle: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data as unknown as RetentionOracle;
}
