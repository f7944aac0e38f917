import { z } from 'zod';

export const CheckResultSchema = z.object({
  label: z.string(),
  max: z.number().int().nonnegative(),
  earned: z.number().int().nonnegative(),
  pass: z.boolean(),
  /**
   * False when the evidence this check needs cannot exist for this run (e.g. no matplotlib, so no figure
   * labels): it then neither earns nor loses points and `detail` says why. Absent (scorer 0.1.0): judged.
   */
  judged: z.boolean().default(true),
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
  /** The benchmark's diagnostic id (e.g. `session_level_rate`). */
  id: z.string(),
  field: z.string(),
  message: z.string(),
  /** Numbers, or for a decision field (e.g. `recommendation`) the run's, the right and the wrong value. */
  reported: z.union([z.number(), z.string()]).nullable(),
  expected: z.union([z.number(), z.string()]).nullable(),
  wrong: z.union([z.number(), z.string()]).nullable(),
});

/**
 * A scorecard. `total` is every check's points; `judged` the points of the checks that could be judged;
 * `pct` is earned / judged. Scorecards written before "judged" existed (scorer 0.1.0) judged everything,
 * so an absent `judged` reads as `total`.
 */
export const ScorecardSchema = z
  .object({
    earned: z.number().int().nonnegative(),
    total: z.number().int().positive(),
    judged: z.number().int().nonnegative().optional(),
    pct: z.number(),
    mode: z.enum(['compat', 'full']),
    scorer_version: z.string(),
    /** By the benchmark's check id, in its table's order. */
    checks: z.record(z.string(), CheckResultSchema),
    precision: PrecisionSchema.nullable(),
    diagnostics: z.array(DiagnosticSchema),
    notes: z.array(z.string()),
  })
  .transform((card) => ({ ...card, judged: card.judged ?? card.total }));

export type CheckResult = z.infer<typeof CheckResultSchema>;
export type ScorecardDiagnostic = z.infer<typeof DiagnosticSchema>;
export type ScorecardPrecision = z.infer<typeof PrecisionSchema>;
export type Scorecard = z.infer<typeof ScorecardSchema>;

/**
 * The score as it is always shown: "95 of 95 judged". Points of checks that could not be judged are in
 * neither number; a reader compares runs only at equal judged totals.
 */
export function formatJudged(card: Pick<Scorecard, 'earned' | 'judged'>): string {
  return `${card.earned} of ${card.judged} judged`;
}
