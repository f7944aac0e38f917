import { ObservationSchema, VISUAL_CHECKS } from '@localds/benchmarks';
import { SamplingSchema } from '@localds/scorer';
import { z } from 'zod';

/**
 * One visual benchmark run as the page keeps it (IndexedDB store `visualRuns`), validated on every read.
 * CONTRACT (session 5): vpage owns this file and may add fields; arena relies on id, runId, createdAt,
 * benchmark, model, scripted, html and score.
 */
export const VISUAL_RECORD_SCHEMA = 1;

const CHECK_IDS = VISUAL_CHECKS.map((c) => c.id) as [
  (typeof VISUAL_CHECKS)[number]['id'],
  ...(typeof VISUAL_CHECKS)[number]['id'][],
];

/** scoreVisual's result (the checks' VisualScore), validated when a record is read or imported. */
export const VisualScoreSchema = z.object({
  benchmark: z.object({ id: z.string().min(1), version: z.string() }),
  score: z.number().min(0).max(100).nullable(),
  checks: z.array(
    z.object({
      id: z.enum(CHECK_IDS),
      points: z.number().min(0).nullable(),
      max: z.number().positive(),
      passed: z.boolean().nullable(),
      detail: z.string(),
    }),
  ),
  environmentError: z.string().nullable(),
});

export const VisualTurnSchema = z.object({
  /** The model's reply, as it came (sanitised before display). */
  reply: z.string(),
  /** The file this turn produced; null when the reply held none. */
  html: z.string().nullable(),
  observation: ObservationSchema.nullable(),
  /** What the harness told the model about this render. */
  feedback: z.string().nullable(),
});

export const VisualRunRecordSchema = z.object({
  schema: z.literal(VISUAL_RECORD_SCHEMA),
  kind: z.literal('visual'),
  id: z.string().min(1),
  runId: z.string().min(1),
  createdAt: z.string(),
  origin: z.enum(['import', 'workbench']),
  benchmark: z.object({ id: z.string().min(1), version: z.string() }),
  model: z.object({ name: z.string().min(1), provider: z.string(), slug: z.string().min(1) }),
  scripted: z.boolean(),
  sampling: SamplingSchema.nullable(),
  turns: z.array(VisualTurnSchema),
  /** The final file (the last turn that produced one); null when no turn did. */
  html: z.string().nullable(),
  observation: ObservationSchema.nullable(),
  /** The checks' result (scoreVisual); null for a run that never rendered a file. */
  score: VisualScoreSchema.nullable(),
  endReason: z.string(),
  endDetail: z.string().nullable(),
  /**
   * The run folder as `localds run` writes it (run.json, trace.json, index.html, observation.json,
   * scorecard.json, turns/…; @localds/benchmarks' visual/run-folder.ts), keys redacted: what an export
   * zips and an import reads. Empty while the run is still going.
   */
  files: z.record(
    z.string(),
    z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected bytes' }),
  ),
});
export type VisualRunRecord = z.infer<typeof VisualRunRecordSchema>;
