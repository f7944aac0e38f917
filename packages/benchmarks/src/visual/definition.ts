import { z } from 'zod';

/**
 * The second kind of benchmark: a visual one. The model answers with one self-contained HTML file (an
 * animation); there is no dataset and no oracle. The harness renders the file in a sandbox with the
 * probe (./probe) injected, and the checks (./checks.ts) judge what the probe and, in Node, the
 * screenshots saw. A visual benchmark is one folder under src/visual/<id>/ plus one line in
 * src/visual/registry.ts, like an analysis benchmark.
 */

const SlugSchema = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lowercase slug');

/**
 * A requirement of one prompt that a machine can check from the DOM, each worth some of the
 * `requirements` check's points. The probe reports what each needs (see ProbeConfig.requirements).
 */
export const VisualRequirementSchema = z.discriminatedUnion('type', [
  /** A visible <canvas> or <svg> element of at least `minArea` of the viewport (default 0.25). */
  z.object({
    type: z.literal('canvas-or-svg'),
    id: SlugSchema,
    label: z.string().min(1),
    minArea: z.number().min(0).max(1).optional(),
  }),
  /**
   * At least `min` things of a kind: elements matching `selector`, or, for a canvas drawing, the integer
   * the file declares in `<body data-NAME="n">` (the prompt tells the model to declare it).
   */
  z.object({
    type: z.literal('count'),
    id: SlugSchema,
    label: z.string().min(1),
    selector: z.string().min(1),
    bodyAttribute: z.string().regex(/^data-[a-z][a-z0-9-]*$/),
    min: z.number().int().positive(),
  }),
]);
export type VisualRequirement = z.infer<typeof VisualRequirementSchema>;

export const VisualBenchmarkSchema = z.object({
  kind: z.literal('visual'),
  id: SlugSchema,
  title: z.string().min(1),
  description: z.string().min(1),
  /** Semantic version; bumped whenever the prompt, requirements or limits change. */
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  suite: SlugSchema.optional(),
  /** The prompt given to the model, complete on its own. */
  task: z.string().min(200),
  requirements: z.array(VisualRequirementSchema),
  limits: z.object({
    /** The file's size limit (UTF-8 bytes) for the `file_size` check. */
    maxFileBytes: z.number().int().positive(),
    /** Time from load to the first animation frame for `renders_in_time` (ms). */
    renderBudgetMs: z.number().int().positive(),
  }),
  /** Revision turns: the model may revise the file after seeing what the harness saw. */
  turns: z.object({ default: z.number().int().positive(), max: z.number().int().positive() }),
  /** The page's scripted demo: a replay file whose answer is a hand-written HTML file (labelled scripted). */
  demoReplay: z.unknown(),
});
export type VisualBenchmark = z.infer<typeof VisualBenchmarkSchema>;

/** Validates a visual benchmark definition at import; the error names the field. */
export function defineVisualBenchmark(definition: VisualBenchmark): VisualBenchmark {
  const result = VisualBenchmarkSchema.safeParse(definition);
  if (!result.success) {
    throw new TypeError(
      `invalid visual benchmark "${String(definition.id)}": ${z.prettifyError(result.error)}`,
    );
  }
  const ids = definition.requirements.map((r) => r.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated)
    throw new TypeError(`visual benchmark "${definition.id}": requirement "${repeated}" twice`);
  return definition;
}
