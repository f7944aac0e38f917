import { z } from 'zod';

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
/** A data or sampling seed: a non-negative 32-bit int, or null for "not fixed here". */
const Seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1)
  .nullable();

export const MAX_TRIALS = 20;

export const ModelChoiceSchema = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('webllm'),
    model: z.string().trim().min(1, 'pick a WebLLM model'),
    /** Tokens the model is loaded with; absent: the catalogue's own (4096 for most). */
    contextWindow: z.number().int().min(1024).max(131072).optional(),
  }),
  z.object({
    source: z.literal('openai'),
    endpoint: HttpUrl,
    model: z.string().trim().min(1, 'name the model the server should use'),
    /**
     * Longest silence allowed from the server (before its answer and between two pieces of it),
     * e.g. while it reads a long prompt; absent: the adapter's 300 s.
     */
    readTimeoutSeconds: z
      .number()
      .int('a whole number of seconds')
      .min(1, 'at least 1 second')
      .max(24 * 3600, 'at most 86400 seconds (a day)')
      .optional(),
    /**
     * How the model runs code: fenced ```python blocks, native tool calls, or auto (tools when
     * the server accepts them); absent: auto.
     */
    protocol: z.enum(['auto', 'fenced', 'tools']).optional(),
  }),
  z.object({
    source: z.literal('scripted'),
    model: z.string().trim().min(1),
  }),
]);
export type ModelChoice = z.infer<typeof ModelChoiceSchema>;

export const DataChoiceSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('embedded') }),
  z.object({ mode: z.literal('supabase'), url: HttpUrl }),
]);
export type DataChoice = z.infer<typeof DataChoiceSchema>;

/**
 * Everything a run needs except secrets. This is what a benchmark link carries and what a run
 * stores; keys live in `RunSecrets`, which is never serialised.
 */
export const RunSettingsSchema = z.object({
  benchmark: z.string().min(1),
  model: ModelChoiceSchema,
  data: DataChoiceSchema,
  scenario: z.string().min(1),
  /** null: the scenario's own seed. */
  seed: Seed,
  trials: z.number().int().min(1).max(MAX_TRIALS),
  sampling: z.object({
    temperature: z.number().min(0).max(2),
    top_p: z.number().gt(0).max(1),
    seed: Seed,
    max_tokens: z.number().int().min(64).max(32768),
  }),
  budgets: z.object({
    max_turns: z.number().int().min(1).max(100),
    time_limit_s: z
      .number()
      .int()
      .min(30)
      .max(4 * 3600),
  }),
});
export type RunSettings = z.infer<typeof RunSettingsSchema>;

/** Kept in this browser's memory only: never in links, history, exports or logs. */
export interface RunSecrets {
  apiKey: string;
  supabaseAnonKey: string;
}

export const SCRIPTED_DEMO_MODEL = 'reference-solution (scripted replay)';

export function defaultRunSettings(benchmark: string, scenario: string): RunSettings {
  return {
    benchmark,
    model: { source: 'scripted', model: SCRIPTED_DEMO_MODEL },
    data: { mode: 'embedded' },
    scenario,
    seed: null,
    trials: 1,
    sampling: { temperature: 0.2, top_p: 0.95, seed: 1, max_tokens: 2048 },
    budgets: { max_turns: 20, time_limit_s: 900 },
  };
}

/** The URLs a run would send requests to (model server, data API). */
export function remoteTargets(settings: RunSettings): string[] {
  const targets: string[] = [];
  if (settings.model.source === 'openai') targets.push(settings.model.endpoint);
  if (settings.data.mode === 'supabase') targets.push(settings.data.url);
  return targets;
}
