import {
  MAX_TRIALS,
  RunSettingsSchema,
  SCRIPTED_DEMO_MODEL,
  type RunSecrets,
  type RunSettings,
} from '../runs/run-settings.js';
import { MAX_GRID_CELLS } from '../runs/grid.js';

/** The run form's fields as typed (strings), before validation. Keys stay here and in RunSecrets only. */
export interface RunDraft {
  source: 'webllm' | 'openai' | 'scripted';
  webllmModel: string;
  /** Empty: the model's own window. */
  contextWindow: string;
  endpoint: string;
  openaiModel: string;
  /** Seconds; empty: the adapter's default (300). */
  readTimeout: string;
  protocol: 'auto' | 'fenced' | 'tools';
  apiKey: string;
  dataMode: 'embedded' | 'supabase';
  supabaseUrl: string;
  anonKey: string;
  scenario: string;
  seed: string;
  trials: string;
  temperature: string;
  topP: string;
  samplingSeed: string;
  maxTokens: string;
  maxTurns: string;
  timeLimit: string;
  /** More model names on the same server (comma-separated): a grid of models. */
  extraModels: string;
  /** More scenarios to queue beside `scenario`: a grid of scenarios. */
  extraScenarios: string[];
}

export function draftFromSettings(s: RunSettings): RunDraft {
  return {
    source: s.model.source,
    webllmModel: s.model.source === 'webllm' ? s.model.model : '',
    contextWindow:
      s.model.source === 'webllm' && s.model.contextWindow ? String(s.model.contextWindow) : '',
    endpoint: s.model.source === 'openai' ? s.model.endpoint : 'http://127.0.0.1:8080/v1',
    openaiModel: s.model.source === 'openai' ? s.model.model : '',
    readTimeout:
      s.model.source === 'openai' && s.model.readTimeoutSeconds
        ? String(s.model.readTimeoutSeconds)
        : '',
    protocol: (s.model.source === 'openai' && s.model.protocol) || 'auto',
    apiKey: '',
    dataMode: s.data.mode,
    supabaseUrl: s.data.mode === 'supabase' ? s.data.url : '',
    anonKey: '',
    scenario: s.scenario,
    seed: s.seed === null ? '' : String(s.seed),
    trials: String(s.trials),
    temperature: String(s.sampling.temperature),
    topP: String(s.sampling.top_p),
    samplingSeed: s.sampling.seed === null ? '' : String(s.sampling.seed),
    maxTokens: String(s.sampling.max_tokens),
    maxTurns: String(s.budgets.max_turns),
    timeLimit: String(s.budgets.time_limit_s),
    extraModels: '',
    extraScenarios: [],
  };
}

// Empty text is "not given" (null) for optional numbers; anything else must parse as a number.
const numberOrNull = (text: string) => (text.trim() === '' ? null : Number(text));
const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

export type DraftResult =
  | { ok: true; settings: RunSettings; secrets: RunSecrets }
  | { ok: false; errors: Record<string, string> };

/** Validates a draft; errors are keyed by the RunSettings path (e.g. `model.endpoint`). */
export function validateDraft(benchmark: string, d: RunDraft): DraftResult {
  const model =
    d.source === 'webllm'
      ? {
          source: 'webllm',
          model: d.webllmModel,
          ...(d.contextWindow.trim() ? { contextWindow: number(d.contextWindow) } : {}),
        }
      : d.source === 'openai'
        ? {
            source: 'openai',
            endpoint: d.endpoint.trim(),
            model: d.openaiModel,
            ...(d.readTimeout.trim() ? { readTimeoutSeconds: number(d.readTimeout) } : {}),
            ...(d.protocol === 'auto' ? {} : { protocol: d.protocol }),
          }
        : { source: 'scripted', model: SCRIPTED_DEMO_MODEL };
  const parsed = RunSettingsSchema.safeParse({
    benchmark,
    model,
    data:
      d.dataMode === 'supabase'
        ? { mode: 'supabase', url: d.supabaseUrl.trim() }
        : { mode: 'embedded' },
    scenario: d.scenario,
    seed: numberOrNull(d.seed),
    trials: number(d.trials),
    sampling: {
      temperature: number(d.temperature),
      top_p: number(d.topP),
      seed: numberOrNull(d.samplingSeed),
      max_tokens: number(d.maxTokens),
    },
    budgets: { max_turns: number(d.maxTurns), time_limit_s: number(d.timeLimit) },
  });
  const errors: Record<string, string> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.');
      errors[key] ??= issue.message.replace(
        /^Invalid input: expected number, received NaN$/,
        'enter a number',
      );
    }
  }
  if (d.dataMode === 'supabase' && !d.anonKey.trim())
    errors['secrets.anonKey'] = 'the anon key is needed to read the table';
  if (Object.keys(errors).length || !parsed.success) return { ok: false, errors };
  return {
    ok: true,
    settings: parsed.data,
    secrets: { apiKey: d.apiKey, supabaseAnonKey: d.anonKey },
  };
}

export type GridResult =
  { ok: true; models: string[]; scenarios: string[]; cells: number } | { ok: false; error: string };

/**
 * The grid a valid draft asks for: its model and any more on the same server × its scenario and any
 * more chosen × its trials. One model on one scenario is the plain run (cells = trials).
 */
export function draftGrid(d: RunDraft, settings: RunSettings): GridResult {
  const extra =
    d.source === 'openai'
      ? d.extraModels
          .split(',')
          .map((m) => m.trim())
          .filter(Boolean)
      : [];
  const models = [settings.model.model, ...extra];
  if (new Set(models).size !== models.length) return { ok: false, error: 'a model is named twice' };
  const scenarios = [settings.scenario, ...d.extraScenarios.filter((x) => x !== settings.scenario)];
  const cells = models.length * scenarios.length * settings.trials;
  if (cells > MAX_GRID_CELLS)
    return { ok: false, error: `${cells} trials: a grid queues at most ${MAX_GRID_CELLS}` };
  return { ok: true, models, scenarios, cells };
}

export const TRIALS_HELP = `1 to ${MAX_TRIALS} independent runs with the same settings`;
