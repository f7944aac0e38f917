import { z } from 'zod';

/**
 * The counterfactual's outcome as stored in run.json (`counterfactual`): where the run was scored with a
 * re-execution, what the re-executed code reported on the bootstrap resample. A place that cannot
 * re-execute (the page importing a native run) judges this stored outcome with the same rules instead
 * of judging differently. Only the fields the counterfactual judges are kept.
 */
export const CounterfactualRecordSchema = z.object({
  /** The bootstrap seed of the resample. */
  seed: z.number().int(),
  /** sha256 of the resample's JSON text: the outcome is used only for the same resample of the same rows. */
  resample_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** How many recorded code cells were re-executed. */
  cells: z.number().int().nonnegative(),
  outcome: z.discriminatedUnion('ok', [
    z.object({
      ok: z.literal(true),
      /** `recommended_variant` and the judged `raw_stats` fields of the re-executed summary.json. */
      summary: z.record(z.string(), z.unknown()),
    }),
    /** Why the re-execution could not be judged (it failed, wrote no summary, ...). */
    z.object({ ok: z.literal(false), reason: z.string() }),
  ]),
});
export type CounterfactualRecord = z.infer<typeof CounterfactualRecordSchema>;
