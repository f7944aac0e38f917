import type { VisualBenchmark } from '@localds/benchmarks';
import { useMemo, useState } from 'react';
import { navigate } from '../router.js';
import { startVisualRun } from '../visual/visual-runner.js';
import {
  VISUAL_DEMO_MODEL,
  visualRunSettingsSchema,
  type VisualRunSettings,
} from '../visual/visual-settings.js';
import { Field } from './Field.js';
import {
  ModelSourceFields,
  SamplingFields,
  type ModelSourceDraft,
  type SamplingDraft,
} from './ModelSourceFields.js';

type Source = 'scripted' | 'replay' | 'openai' | 'webllm';

interface Draft extends ModelSourceDraft<Source>, SamplingDraft {
  replay: { name: string; json: unknown } | null;
  replayError: string | null;
  turns: string;
}

const num = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/** The draft as settings, or the problems keyed by field path (as the analysis form does). */
function validate(
  benchmark: VisualBenchmark,
  d: Draft,
): { ok: true; settings: VisualRunSettings } | { ok: false; errors: Record<string, string> } {
  const model =
    d.source === 'scripted'
      ? { source: 'scripted', model: VISUAL_DEMO_MODEL }
      : d.source === 'replay'
        ? { source: 'replay', model: d.replay?.name ?? '', replay: d.replay?.json }
        : d.source === 'openai'
          ? {
              source: 'openai',
              endpoint: d.endpoint.trim(),
              model: d.openaiModel,
              ...(d.readTimeout.trim() ? { readTimeoutSeconds: num(d.readTimeout) } : {}),
            }
          : { source: 'webllm', model: d.webllmModel };
  const parsed = visualRunSettingsSchema(benchmark).safeParse({
    benchmark: benchmark.id,
    model,
    sampling: {
      temperature: num(d.temperature),
      top_p: num(d.topP),
      seed: d.samplingSeed.trim() === '' ? null : Number(d.samplingSeed),
      max_tokens: num(d.maxTokens),
    },
    turns: num(d.turns),
  });
  const errors: Record<string, string> = {};
  if (d.source === 'replay' && d.replayError) errors['model.model'] = d.replayError;
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      errors[issue.path.join('.')] ??= issue.message.replace(
        /^Invalid input: expected number, received NaN$/,
        'enter a number',
      );
    }
  }
  if (!parsed.success || Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, settings: parsed.data };
}

/** Reads a replay file the user picked: JSON, or a clear error (its shape is checked when the run starts). */
async function readReplay(file: File): Promise<{ name: string; json: unknown } | string> {
  try {
    return { name: `replay: ${file.name}`, json: JSON.parse(await file.text()) as unknown };
  } catch (error) {
    return `${file.name} is not JSON: ${(error as Error).message}`;
  }
}

/**
 * The visual run form: who answers (the benchmark's scripted demo, a replay file, an OpenAI-compatible
 * server, a WebLLM model), sampling and turns. Run starts the loop in this page and opens its live view.
 */
export function VisualRunForm({ benchmark }: { benchmark: VisualBenchmark }) {
  // A benchmark without a hand-written demo yet cannot offer one.
  const hasDemo = benchmark.demoReplay !== null && benchmark.demoReplay !== undefined;
  const [draft, setDraft] = useState<Draft>({
    source: hasDemo ? 'scripted' : 'replay',
    replay: null,
    replayError: null,
    endpoint: 'http://127.0.0.1:8080/v1',
    openaiModel: '',
    readTimeout: '',
    apiKey: '',
    webllmModel: '',
    temperature: '0.7',
    topP: '0.95',
    samplingSeed: '1',
    maxTokens: '8192',
    turns: String(benchmark.turns.default),
  });
  const [runError, setRunError] = useState<string | null>(null);
  const result = useMemo(() => validate(benchmark, draft), [benchmark, draft]);
  const errors = result.ok ? {} : result.errors;
  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const run = () => {
    if (!result.ok) return;
    try {
      const id = startVisualRun(benchmark, result.settings, {
        apiKey: draft.apiKey,
        supabaseAnonKey: '',
      });
      navigate(`/visual-runs/${encodeURIComponent(id)}`);
    } catch (error) {
      setRunError((error as Error).message);
    }
  };

  return (
    <form
      className="run-form"
      onSubmit={(e) => e.preventDefault()}
      aria-labelledby="visual-run-form-title"
      noValidate
    >
      <h2 id="visual-run-form-title">Run settings</h2>
      <ModelSourceFields
        name="visual-source"
        options={
          [
            ['scripted', 'Scripted demo (a hand-written file, not a model)'],
            ['replay', 'Scripted replay file (not a model)'],
            ['openai', 'OpenAI-compatible server'],
            ['webllm', 'WebLLM (in this browser, WebGPU)'],
          ] as const
        }
        disabled={(source) => source === 'scripted' && !hasDemo}
        draft={draft}
        update={update}
        errors={errors}
      >
        {!hasDemo && (
          <p className="muted small" role="note">
            This benchmark has no scripted demo yet.
          </p>
        )}
        {draft.source === 'scripted' && (
          <p className="muted small">
            Replays the benchmark&rsquo;s hand-written demo file: useful to see the renderer and the
            checks work. Labelled <span className="badge badge-scripted">scripted</span> everywhere.
          </p>
        )}
        {draft.source === 'replay' && (
          <Field
            label='Replay file (JSON: {"responses": […]})'
            help="One model answer per turn; replayed as written, labelled scripted."
            error={errors['model.model'] ?? errors['model']}
          >
            <input
              type="file"
              accept=".json,application/json"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (!file) return;
                void readReplay(file).then((r) =>
                  update(
                    typeof r === 'string'
                      ? { replay: null, replayError: r }
                      : { replay: r, replayError: null },
                  ),
                );
              }}
            />
          </Field>
        )}
      </ModelSourceFields>
      <SamplingFields legend="Sampling and turns" draft={draft} update={update} errors={errors}>
        <Field
          label="Turns"
          help={`replies the model may give, revising its file after each render (1 = one-shot; at most ${benchmark.turns.max})`}
          error={errors['turns']}
        >
          <input
            inputMode="numeric"
            value={draft.turns}
            onChange={(e) => update({ turns: e.target.value })}
          />
        </Field>
      </SamplingFields>
      <div className="actions">
        <button type="button" className="primary" onClick={run} disabled={!result.ok}>
          Run
        </button>
      </div>
      {!result.ok && (
        <p className="field-error" role="status">
          Fix the fields marked above to run.
        </p>
      )}
      {runError && (
        <p className="error" role="alert">
          {runError}
        </p>
      )}
    </form>
  );
}
