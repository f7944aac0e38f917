import { z } from 'zod';

/**
 * The `summary.json` a run must write. The article's scorer requires status, recommended_variant
 * and seven raw_stats; everything else is optional but typed, so a wrong type still fails validation.
 */
const finiteNumber = z.number().finite();

export const RawStatsSchema = z.object({
  p_value: finiteNumber,
  cohens_d: finiteNumber,
  mean_a: finiteNumber,
  mean_b: finiteNumber,
  std_a: finiteNumber.optional(),
  std_b: finiteNumber.optional(),
  completion_rate_a: finiteNumber,
  completion_rate_b: finiteNumber,
  repeat_rate_a: finiteNumber.optional(),
  repeat_rate_b: finiteNumber.optional(),
  srm_p_value: finiteNumber,
});

/** The raw_stats fields, in the order summary.json lists them. */
export const RAW_STAT_FIELDS = RawStatsSchema.keyof().options;

export const MetricSchema = z.object({
  label: z.string(),
  value: z.union([z.number(), z.string()]),
  delta: z.union([z.number(), z.string()]).nullable().optional(),
  delta_direction: z.enum(['up', 'down', 'neutral']).nullable().optional(),
  context: z.string().nullable().optional(),
});

export const SummarySchema = z.object({
  status: z.enum(['significant', 'not_significant', 'inconclusive']),
  recommended_variant: z.enum(['A', 'B']).nullable(),
  decision: z.string().optional(),
  metrics: z.array(MetricSchema).optional(),
  raw_stats: RawStatsSchema,
  warnings: z.array(z.string()).optional(),
  methodology: z.string().optional(),
  generated_at: z.string().optional(),
});
export type Summary = z.infer<typeof SummarySchema>;
export type RawStats = z.infer<typeof RawStatsSchema>;
