import { z } from 'zod';

/**
 * The `summary.json` of `launch-segments`. Every raw_stats key is required; a figure the definitions
 * leave undefined for the data (e.g. the stratified statistics when a cell is negative) is null.
 */
const figure = z.number().finite().nullable();

export const LaunchRawStatsSchema = z.object({
  pooled_rate_before: figure,
  pooled_rate_after: figure,
  pooled_p_value: figure,
  rate_before_mobile: figure,
  rate_after_mobile: figure,
  rate_before_desktop: figure,
  rate_after_desktop: figure,
  mh_odds_ratio: figure,
  mh_ci_low: figure,
  mh_ci_high: figure,
  cmh_p_value: figure,
});
export type LaunchRawStats = z.infer<typeof LaunchRawStatsSchema>;
export const LAUNCH_RAW_STAT_FIELDS = LaunchRawStatsSchema.keyof().options;

export const LaunchSummarySchema = z.object({
  status: z.enum(['significant', 'not_significant']),
  direction: z.enum(['better', 'worse']).nullable(),
  recommendation: z.enum(['keep', 'roll_back']).nullable(),
  decision: z.string().min(1),
  raw_stats: LaunchRawStatsSchema,
  warnings: z.array(z.string()).optional(),
  methodology: z.string().optional(),
  generated_at: z.string().optional(),
});
export type LaunchSummary = z.infer<typeof LaunchSummarySchema>;
