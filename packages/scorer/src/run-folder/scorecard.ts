import { z } from 'zod';
import { DIAGNOSTIC_IDS } from '../diagnostics/types.js';

/** The twelve check ids, in the article's order (its CHECKS table). */
export const CHECK_IDS = [
  'summary_valid',
  'data_access',
  'data_quality',
  'srm_test',
  'hypothesis_tests',
  'p_value',
  'cohens_d',
  'completion_rates',
  'charts_exist',
  'charts_labeled',
  'recommended_variant',
  'decision_grounded',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export const CheckResultSchema = z.object({
  label: z.string(),
  max: z.number().int().nonnegative(),
  earned: z.number().int().nonnegative(),
  pass: z.boolean(),
  detail: z.string(),
});

/** The tighter tolerances block (does not change the total). */
export const PrecisionSchema = z.object({
  pass: z.boolean(),
  checks: z.record(
    z.string(),
    z.object({
      pass: z.boolean(),
      reported: z.number().nullable(),
      expected: z.number().nullable(),
      tolerance: z.number().nullable(),
    }),
  ),
});

/** A diagnostic as computeDiagnostics reports it (see diagnostics/types.ts). */
export const DiagnosticSchema = z.object({
  id: z.enum(DIAGNOSTIC_IDS),
  field: z.string(),
  message: z.string(),
  reported: z.number(),
  expected: z.number().nullable(),
  wrong: z.number(),
});

export const ScorecardSchema = z.object({
  earned: z.number().int().nonnegative(),
  total: z.number().int().positive(),
  pct: z.number(),
  mode: z.enum(['compat', 'full']),
  scorer_version: z.string(),
  checks: z.record(z.enum(CHECK_IDS), CheckResultSchema),
  precision: PrecisionSchema.nullable(),
  diagnostics: z.array(DiagnosticSchema),
  notes: z.array(z.string()),
});

export type CheckResult = z.infer<typeof CheckResultSchema>;
export type Scorecard = z.infer<typeof ScorecardSchema>;
