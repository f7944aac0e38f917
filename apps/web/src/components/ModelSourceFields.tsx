import type { ReactNode } from 'react';
import { Field } from './Field.js';
import { ServerModels } from './ServerModels.js';
import { WebLLMPicker } from './WebLLMPicker.js';

/** The model fields both run forms (analysis and visual) keep in their drafts, as typed. */
export interface ModelSourceDraft<Source extends string> {
  source: Source;
  webllmModel: string;
  endpoint: string;
  openaiModel: string;
  /** Seconds; empty: the adapter's default (300). */
  readTimeout: string;
  apiKey: string;
}

/** The sampling fields both run forms keep in their drafts, as typed. */
export interface SamplingDraft {
  temperature: string;
  topP: string;
  samplingSeed: string;
  maxTokens: string;
}

type Update<D> = (patch: Partial<D>) => void;

/** Props of a text input showing `value` and reporting what is typed. */
function bind(value: string, onChange: (value: string) => void) {
  return { value, onChange: (e: { target: { value: string } }) => onChange(e.target.value) };
}

/**
 * The "Model" fieldset of a run form: who answers (one radio per source), a WebLLM model or an
 * OpenAI-compatible server (URL, model, read timeout, its model list, the key). Errors are keyed by
 * the settings path (`model.endpoint`, ...). `children` follow the radios (notes, fields of the form's
 * other sources); `webllmExtra` and `openaiExtra` add that form's own fields to those two sources.
 */
export function ModelSourceFields<Source extends string>({
  name,
  options,
  disabled,
  draft,
  update,
  errors,
  webllmExtra,
  openaiExtra,
  children,
}: {
  /** The radio group's name. */
  name: string;
  options: readonly (readonly [Source, string])[];
  disabled?: (source: Source) => boolean;
  draft: ModelSourceDraft<Source>;
  /** Takes 'openai' too: the WebLLM picker offers to use a server instead. */
  update: Update<ModelSourceDraft<NoInfer<Source> | 'openai'>>;
  errors: Record<string, string>;
  /** After the WebLLM picker. */
  webllmExtra?: ReactNode;
  /** After the server's model name. */
  openaiExtra?: ReactNode;
  children?: ReactNode;
}) {
  const text = (key: 'endpoint' | 'openaiModel' | 'readTimeout' | 'apiKey') =>
    bind(draft[key], (value) => update({ [key]: value }));
  return (
    <fieldset>
      <legend>Model</legend>
      <div className="radios">
        {options.map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name={name}
              value={value}
              checked={draft.source === value}
              disabled={disabled?.(value)}
              onChange={() => update({ source: value })}
            />
            {label}
          </label>
        ))}
      </div>
      {children}
      {draft.source === 'webllm' && (
        <>
          <WebLLMPicker
            value={draft.webllmModel}
            onChange={(webllmModel) => update({ webllmModel })}
            onUseServer={() => update({ source: 'openai' })}
          />
          {errors['model.model'] && <p className="field-error">{errors['model.model']}</p>}
          {webllmExtra}
        </>
      )}
      {draft.source === 'openai' && (
        <>
          <Field
            label="Server URL (OpenAI-compatible, ending in /v1)"
            help="llama.cpp: llama-server --api-key … (CORS is on); Ollama: OLLAMA_ORIGINS=* ollama serve; LM Studio: enable CORS in the server settings."
            error={errors['model.endpoint']}
          >
            <input type="url" inputMode="url" {...text('endpoint')} />
          </Field>
          <Field label="Model name" error={errors['model.model']}>
            <input {...text('openaiModel')} />
          </Field>
          {openaiExtra}
          <Field
            label="Read timeout (seconds)"
            help="empty: 300. How long the server may stay silent, e.g. while it reads a long prompt before answering."
            error={errors['model.readTimeoutSeconds']}
          >
            <input inputMode="numeric" {...text('readTimeout')} />
          </Field>
          <ServerModels
            endpoint={draft.endpoint}
            apiKey={draft.apiKey}
            onPick={(openaiModel) => update({ openaiModel })}
          />
          <Field
            label="API key (optional)"
            help="Kept in this tab only: never saved, shared, exported or logged."
          >
            <input type="password" autoComplete="off" {...text('apiKey')} />
          </Field>
        </>
      )}
    </fieldset>
  );
}

/** The sampling fieldset of a run form; `children` add the form's own fields to its grid. */
export function SamplingFields({
  legend,
  draft,
  update,
  errors,
  children,
}: {
  legend: string;
  draft: SamplingDraft;
  update: Update<SamplingDraft>;
  errors: Record<string, string>;
  children?: ReactNode;
}) {
  const text = (key: keyof SamplingDraft) => bind(draft[key], (value) => update({ [key]: value }));
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="grid-4">
        <Field label="Temperature" help="0 to 2" error={errors['sampling.temperature']}>
          <input inputMode="decimal" {...text('temperature')} />
        </Field>
        <Field label="top_p" help="above 0, at most 1" error={errors['sampling.top_p']}>
          <input inputMode="decimal" {...text('topP')} />
        </Field>
        <Field label="Sampling seed" help="empty: none" error={errors['sampling.seed']}>
          <input inputMode="numeric" {...text('samplingSeed')} />
        </Field>
        <Field label="Max tokens per turn" error={errors['sampling.max_tokens']}>
          <input inputMode="numeric" {...text('maxTokens')} />
        </Field>
        {children}
      </div>
    </fieldset>
  );
}
