import { EnvironmentSchema, ScorecardSchema, SamplingSchema } from '@localds/scorer';
import { z } from 'zod';

/**
 * One run as the workbench keeps it in IndexedDB. Versioned (`schema`) and validated with zod on
 * every read, so a record written by an older page, or edited by hand, is reported instead of
 * breaking a view. Files are the run folder after the import rules (supabase.json dropped, keys
 * redacted); nothing in a record holds a key.
 */
export const RUN_RECORD_SCHEMA = 1;

const NumberOrNull = z.number().nullable();

/** The figures shown beside each other: what the run reported and what the oracle computed. */
export const FiguresSchema = z.object({
  status: z.string().nullable(),
  recommended_variant: z.string().nullable(),
  raw_stats: z.record(z.string(), NumberOrNull),
});
export type Figures = z.infer<typeof FiguresSchema>;

export const OracleSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('snapshot') }),
  z.object({
    kind: z.literal('scenario'),
    scenario: z.string(),
    seed: z.number().int().nullable(),
  }),
]);
export type OracleSource = z.infer<typeof OracleSourceSchema>;

export const RunRecordSchema = z.object({
  schema: z.literal(RUN_RECORD_SCHEMA),
  /** Record key (unique in this browser); `runId` is the run's own id and may repeat across imports. */
  id: z.string().min(1),
  runId: z.string().min(1),
  createdAt: z.string(),
  origin: z.enum(['import', 'workbench']),
  /** `partial` when the run stopped before it finished (crash, reload, stop button). */
  state: z.enum(['complete', 'partial']),
  benchmark: z.object({ id: z.string().min(1), version: z.string() }),
  model: z.object({ name: z.string().min(1), provider: z.string(), slug: z.string().min(1) }),
  scripted: z.boolean(),
  scenario: z.string().nullable(),
  seed: z.number().int().nullable(),
  sampling: SamplingSchema.nullable(),
  oracleSource: OracleSourceSchema,
  /**
   * The Python environment model code had (the benchmark's packages, or the standard library only), as
   * in run.json's `environment`. Absent on records written before it was recorded: the packages.
   */
  environment: EnvironmentSchema.optional(),
  files: z.record(
    z.string(),
    z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected bytes' }),
  ),
  scorecard: ScorecardSchema.nullable(),
  reported: FiguresSchema.nullable(),
  oracle: FiguresSchema,
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** The first problem with a stored record, in words. */
export function recordProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || '(root)'}: ${issue?.message}`;
}
