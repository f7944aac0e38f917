import type { VisualBenchmark } from '@localds/benchmarks';
import { z } from 'zod';
import { ModelChoiceSchema } from '../runs/run-settings.js';

/**
 * A visual run's settings: the model (as for an analysis run, plus a replay file the user picked),
 * sampling and how many turns the model may revise its file. No data, scenario or trials: a visual
 * benchmark has no dataset.
 */
export const VisualModelChoiceSchema = z.union([
  ModelChoiceSchema,
  z.object({
    source: z.literal('replay'),
    /** The file's name, shown as the model's name (labelled scripted). */
    model: z.string().trim().min(1, 'choose a replay file'),
    /** The file's parsed JSON; createReplayModel validates its shape. */
    replay: z.unknown(),
  }),
]);
export type VisualModelChoice = z.infer<typeof VisualModelChoiceSchema>;

export function visualRunSettingsSchema(benchmark: VisualBenchmark) {
  return z.object({
    benchmark: z.literal(benchmark.id),
    model: VisualModelChoiceSchema,
    sampling: z.object({
      temperature: z.number().min(0).max(2),
      top_p: z.number().gt(0).max(1),
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .nullable(),
      max_tokens: z.number().int().min(256).max(32768),
    }),
    turns: z
      .number()
      .int('a whole number of turns')
      .min(1, 'at least 1 turn')
      .max(benchmark.turns.max, `at most ${benchmark.turns.max} turns for this benchmark`),
  });
}
export type VisualRunSettings = z.infer<ReturnType<typeof visualRunSettingsSchema>>;

/** A scripted run is a replay (the benchmark's demo or a file the user chose), never a model. */
export const isScriptedChoice = (m: VisualModelChoice) =>
  m.source === 'scripted' || m.source === 'replay';

export function defaultVisualSettings(benchmark: VisualBenchmark): VisualRunSettings {
  return {
    benchmark: benchmark.id,
    model: { source: 'scripted', model: VISUAL_DEMO_MODEL },
    sampling: { temperature: 0.7, top_p: 0.95, seed: 1, max_tokens: 8192 },
    turns: benchmark.turns.default,
  };
}

/** The scripted demo's model name: the benchmark's hand-written file, replayed (labelled scripted). */
export const VISUAL_DEMO_MODEL = 'hand-written demo (scripted replay)';
