import {
  EndReasonSchema,
  EnvironmentSchema,
  ProtocolSchema,
  RunJsonSchema,
  ScorecardSchema,
  SamplingSchema,
  type EndReason,
  type RunJson,
} from '@localds/scorer';
import { FiguresSchema } from '@localds/benchmarks';
import { z } from 'zod';

/**
 * One run as the workbench keeps it in IndexedDB. Versioned (`schema`) and validated with zod on
 * every read, so a record written by an older page, or edited by hand, is reported instead of
 * breaking a view. Files are the run folder after the import rules (supabase.json dropped, keys
 * redacted); nothing in a record holds a key.
 */
export const RUN_RECORD_SCHEMA = 3;

/**
 * The figures shown beside each other, what the run reported and what the oracle computed, in the shape
 * every benchmark gives them (schema 3): its decision fields and its raw_stats.
 */
export { FiguresSchema, type Figures } from '@localds/benchmarks';

/** Schema 1 and 2 figures: the A/B test's two decision fields at the top level. */
export const LegacyFiguresSchema = z.object({
  status: z.string().nullable(),
  recommended_variant: z.string().nullable(),
  raw_stats: z.record(z.string(), z.number().nullable()),
});

/** Schema 1–2 figures as schema 3's: the same values, the decision fields under `decision`. */
export function upgradeFigures(value: unknown): unknown {
  const legacy = LegacyFiguresSchema.safeParse(value);
  if (!legacy.success) return value;
  const { status, recommended_variant, raw_stats } = legacy.data;
  return { decision: { status, recommended_variant }, raw_stats };
}

export const OracleSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('snapshot') }),
  z.object({
    kind: z.literal('scenario'),
    scenario: z.string(),
    seed: z.number().int().nullable(),
  }),
]);
export type OracleSource = z.infer<typeof OracleSourceSchema>;

/**
 * What run.json says about how the run went (schema 2): read from it once when the record is made, so
 * the views can tell an environment failure and group comparable runs without parsing run.json.
 */
export const RunFactsSchema = z.object({
  /** Null: no run.json (an imported folder without one, a run still going). */
  endReason: EndReasonSchema.nullable(),
  endDetail: z.string().nullable(),
  protocol: ProtocolSchema,
  /** Null: not recorded (older runs, folders without run.json), which counts as the full packages. */
  environment: EnvironmentSchema.nullable(),
  /** Where the rows came from: a scenario, a live project, a file; null when unknown. */
  dataSource: z.enum(['scenario', 'supabase', 'file']).nullable(),
});
export type RunFacts = z.infer<typeof RunFactsSchema>;

/** Whether a run ended on its own terms (not stopped, not lost to the harness): else it is partial. */
export function ranToItsEnd(endReason: EndReason): boolean {
  return endReason !== 'aborted' && endReason !== 'harness_error';
}

/** The facts of a run.json (defaults for none: a folder without run.json). */
export function runFacts(run: RunJson | null): RunFacts {
  return {
    endReason: run?.end_reason ?? null,
    endDetail: run?.end_detail ?? null,
    protocol: run?.protocol ?? 'fenced',
    environment: run?.environment ?? null,
    dataSource: run?.data.snapshot?.source.kind ?? null,
  };
}

/** The facts of the run.json bytes a record holds; none when absent or unreadable. */
export function runFactsOfFiles(files: Record<string, Uint8Array>): RunFacts {
  const bytes = files['run.json'];
  if (!(bytes instanceof Uint8Array)) return runFacts(null);
  try {
    const parsed = RunJsonSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return runFacts(parsed.success ? parsed.data : null);
  } catch {
    return runFacts(null);
  }
}

export const RunRecordSchema = z.object({
  schema: z.literal(RUN_RECORD_SCHEMA),
  /**
   * Record key (unique in this browser). A run's identity is (benchmark id, model name, `runId`): an
   * import of a run already in history updates its record (saveImportedRun), never duplicates it.
   */
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
  files: z.record(
    z.string(),
    z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected bytes' }),
  ),
  scorecard: ScorecardSchema.nullable(),
  reported: FiguresSchema.nullable(),
  oracle: FiguresSchema,
  ...RunFactsSchema.shape,
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** The first problem with a stored record, in words. */
export function recordProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || '(root)'}: ${issue?.message}`;
}
