import { z } from 'zod';

/** The `summary.json` of `anomaly-days`. */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC date YYYY-MM-DD');

export const AnomalySchema = z.object({
  date: isoDate,
  count: z.number().int().nonnegative(),
  baseline: z.number().finite().nonnegative(),
  /** Null when the baseline is 0. */
  ratio: z.number().finite().nullable(),
  type: z.enum(['drop', 'spike']),
});
export type Anomaly = z.infer<typeof AnomalySchema>;

export const AnomalySummarySchema = z.object({
  anomalies: z.array(AnomalySchema),
  bot_ids: z.array(z.string()),
  raw_stats: z.object({
    days_evaluated: z.number().int().nonnegative(),
    anomaly_count: z.number().int().nonnegative(),
    usable_rows: z.number().int().nonnegative(),
    bot_rows: z.number().int().nonnegative(),
  }),
  decision: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  methodology: z.string().optional(),
  generated_at: z.string().optional(),
});
export type AnomalySummary = z.infer<typeof AnomalySummarySchema>;

/** The columns of anomalies.csv, in order. */
export const ANOMALY_CSV_COLUMNS = ['date', 'count', 'baseline', 'ratio', 'type'] as const;
