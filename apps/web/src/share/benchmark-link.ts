import { z } from 'zod';
import { RunSettingsSchema, type RunSettings } from '../runs/run-settings.js';

/**
 * A benchmark link: `#/benchmarks/<id>?model=…&source=…` with readable query parameters, so a
 * reader can see what a link will do before opening it. Keys are never written (there is no
 * parameter for them) and unknown parameters, such as a key someone added by hand, are ignored.
 */
export function benchmarkLinkQuery(settings: RunSettings): string {
  const q = new URLSearchParams();
  q.set('source', settings.model.source);
  q.set('model', settings.model.model);
  if (settings.model.source === 'openai') q.set('endpoint', settings.model.endpoint);
  q.set('data', settings.data.mode);
  if (settings.data.mode === 'supabase') q.set('supabase', settings.data.url);
  q.set('scenario', settings.scenario);
  if (settings.seed !== null) q.set('seed', String(settings.seed));
  q.set('trials', String(settings.trials));
  q.set('temperature', String(settings.sampling.temperature));
  q.set('top_p', String(settings.sampling.top_p));
  if (settings.sampling.seed !== null) q.set('sampling_seed', String(settings.sampling.seed));
  q.set('max_tokens', String(settings.sampling.max_tokens));
  q.set('max_turns', String(settings.budgets.max_turns));
  q.set('time_limit', String(settings.budgets.time_limit_s));
  return q.toString();
}

export function benchmarkLink(settings: RunSettings): string {
  return `#/benchmarks/${encodeURIComponent(settings.benchmark)}?${benchmarkLinkQuery(settings)}`;
}

/** A parameter as a number, or `fallback` when absent or empty; RunSettingsSchema checks the value. */
const num = <T extends number | null>(
  q: URLSearchParams,
  name: string,
  fallback: T,
): number | T => {
  const raw = q.get(name);
  return raw === null || raw === '' ? fallback : Number(raw);
};

export type LinkSettings =
  { ok: true; settings: RunSettings } | { ok: false; error: string } | null;

/** Settings from a link's query over `defaults`; null when the link has no settings at all. */
export function parseBenchmarkLink(q: URLSearchParams, defaults: RunSettings): LinkSettings {
  if (![...q.keys()].length) return null;
  const source = q.get('source') ?? defaults.model.source;
  const model = q.get('model') ?? defaults.model.model;
  const candidate = {
    benchmark: defaults.benchmark,
    model:
      source === 'openai'
        ? { source, model, endpoint: q.get('endpoint') ?? '' }
        : { source, model },
    data:
      (q.get('data') ?? 'embedded') === 'supabase'
        ? { mode: 'supabase', url: q.get('supabase') ?? '' }
        : { mode: q.get('data') ?? 'embedded' },
    scenario: q.get('scenario') ?? defaults.scenario,
    seed: num(q, 'seed', defaults.seed),
    trials: num(q, 'trials', defaults.trials),
    sampling: {
      temperature: num(q, 'temperature', defaults.sampling.temperature),
      top_p: num(q, 'top_p', defaults.sampling.top_p),
      seed: num(q, 'sampling_seed', defaults.sampling.seed),
      max_tokens: num(q, 'max_tokens', defaults.sampling.max_tokens),
    },
    budgets: {
      max_turns: num(q, 'max_turns', defaults.budgets.max_turns),
      time_limit_s: num(q, 'time_limit', defaults.budgets.time_limit_s),
    },
  };
  const parsed = RunSettingsSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, settings: parsed.data };
  return { ok: false, error: z.prettifyError(parsed.error) };
}
