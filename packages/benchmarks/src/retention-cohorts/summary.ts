import { z } from 'zod';

/**
 * The summary.json a retention run must write (issue #12): status, recommendation, decision and the
 * thirteen raw_stats. Ranges are not enforced on rates, so a rate given in percent still validates and
 * loses the rate checks instead, where the `rates_as_percent` diagnostic can explain it.
 */
const stat = z.number().finite().nullable();
const count = z.number().int().nonnegative();

export const RetentionRawStatsSchema = z.object({
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
});

export const RetentionSummarySchema = z.object({
  status: z.enum(['significant', 'not_significant', 'inconclusive']),
  recommended_variant: z.enum(['A', 'B']).nullable(),
  decision: z.string(),
  raw_stats: RetentionRawStatsSchema,
});
export type RetentionSummary = z.infer<typeof RetentionSummarySchema>;
