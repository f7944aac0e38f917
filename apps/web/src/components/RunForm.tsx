import type { BenchmarkDefinition } from '@localds/benchmarks';
import { useEffect, useMemo, useState } from 'react';
import { navigate } from '../router.js';
import { benchmarkLink } from '../share/benchmark-link.js';
import { LinkField } from './LinkField.js';
import type { PrestartState, WorkbenchRunner } from '../runs/runner.js';
import type { RunSettings } from '../runs/run-settings.js';
import { Field } from './Field.js';
import { ModelSourceFields, SamplingFields } from './ModelSourceFields.js';
import { startGrid } from '../runs/grid-runner.js';
import {
  draftFromSettings,
  draftGrid,
  TRIALS_HELP,
  validateDraft,
  type RunDraft,
} from './run-draft.js';

const PRESTART_TEXT: Record<PrestartState, string> = {
  starting: 'Python sandbox: starting now, so that Run does not wait for it.',
  ready: 'Python sandbox: ready for the next run (each run gets its own).',
  failed: 'Python sandbox: could not start; Run will say why.',
};

/**
 * The run settings form: model source, sampling, data, scenario, trials and budgets, validated
 * with zod as the user types. The Run button hands valid settings to `runner`; a share button makes
 * a benchmark link of the settings (never the keys).
 */
export function RunForm({
  benchmark,
  initial,
  runner,
}: {
  benchmark: BenchmarkDefinition;
  initial: RunSettings;
  runner: WorkbenchRunner;
}) {
  const [draft, setDraft] = useState<RunDraft>(() => draftFromSettings(initial));
  const [link, setLink] = useState<string | null>(null);
  const [runError, setRunError] = useState<string | null>(null);
  const [prestart, setPrestart] = useState<PrestartState | null>(null);
  const scripted = draft.source === 'scripted';
  // The sandbox a run would need starts while the user chooses (again when that need changes) ...
  useEffect(() => {
    runner.prestart?.(benchmark.id, scripted, setPrestart);
  }, [runner, benchmark.id, scripted]);
  // ... and is disposed when the form goes without Run having claimed it.
  useEffect(() => () => runner.releasePrestart?.(), [runner]);
  const result = useMemo(() => validateDraft(benchmark.id, draft), [benchmark.id, draft]);
  const grid = useMemo(
    () => (result.ok ? draftGrid(draft, result.settings) : null),
    [draft, result],
  );
  const isGrid = grid?.ok === true && grid.models.length * grid.scenarios.length > 1;
  const errors = result.ok ? (grid && !grid.ok ? { grid: grid.error } : {}) : result.errors;
  const ready = result.ok && grid?.ok === true;
  const update = (patch: Partial<RunDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setLink(null);
  };
  const set =
    <K extends keyof RunDraft>(key: K) =>
    (value: RunDraft[K]) =>
      update({ [key]: value });
  const text = (key: keyof RunDraft) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => set(key)(e.target.value as never),
  });

  const share = () => {
    if (!result.ok) return;
    const url = new URL(location.href);
    url.hash = benchmarkLink(result.settings);
    setLink(url.href);
  };
  const run = () => {
    if (!result.ok || !grid?.ok) return;
    if (isGrid) {
      try {
        startGrid(result.settings, result.secrets, grid.models, grid.scenarios);
        setRunError(null);
      } catch (error) {
        setRunError((error as Error).message);
      }
      return;
    }
    runner
      .start(result.settings, result.secrets)
      .then((id) => navigate(`/runs/${encodeURIComponent(id)}`))
      .catch((e: Error) => setRunError(e.message));
  };

  return (
    <form
      className="run-form"
      onSubmit={(e) => e.preventDefault()}
      aria-labelledby="run-form-title"
      noValidate
    >
      <h2 id="run-form-title">Run settings</h2>

      <ModelSourceFields
        name="source"
        options={
          [
            ['webllm', 'WebLLM (in this browser, WebGPU)'],
            ['openai', 'OpenAI-compatible server'],
            ['scripted', 'Scripted demo (a replay, not a model)'],
          ] as const
        }
        draft={draft}
        update={update}
        errors={errors}
        webllmExtra={
          <Field
            label="Context window (tokens)"
            help="empty: the model's own (4096 for most); larger needs more GPU memory. Model URLs: Settings."
            error={errors['model.contextWindow']}
          >
            <input inputMode="numeric" {...text('contextWindow')} />
          </Field>
        }
        openaiExtra={
          <>
            <Field
              label="More models on this server (optional)"
              help="comma-separated: each runs with the same settings, queued as a grid of models × scenarios × trials"
            >
              <input {...text('extraModels')} />
            </Field>
            <Field
              label="Protocol"
              help="How the model runs code. Auto: native tool calls (run_python) when the server accepts them, else fenced ```python blocks. The protocol is part of what a score means."
            >
              <select
                value={draft.protocol}
                onChange={(e) => set('protocol')(e.target.value as RunDraft['protocol'])}
              >
                <option value="auto">auto (tools when the server takes them)</option>
                <option value="tools">tools (run_python calls)</option>
                <option value="fenced">fenced (```python blocks)</option>
              </select>
            </Field>
          </>
        }
      >
        {draft.source === 'scripted' && (
          <p className="muted small">
            The scripted demo replays a fixed, standard-library-only reference solution instead of a
            model: useful to check the sandbox and scorer. Its runs are labelled{' '}
            <span className="badge badge-scripted">scripted</span> everywhere.
          </p>
        )}
      </ModelSourceFields>

      <SamplingFields legend="Sampling" draft={draft} update={update} errors={errors} />

      <fieldset>
        <legend>Data</legend>
        <div className="radios">
          <label>
            <input
              type="radio"
              name="data"
              checked={draft.dataMode === 'embedded'}
              onChange={() => set('dataMode')('embedded')}
            />
            Embedded dataset (served inside this page)
          </label>
          <label>
            <input
              type="radio"
              name="data"
              checked={draft.dataMode === 'supabase'}
              onChange={() => set('dataMode')('supabase')}
            />
            Supabase project
          </label>
        </div>
        {draft.dataMode === 'supabase' && (
          <>
            <Field label="Supabase project URL" error={errors['data.url']}>
              <input
                type="url"
                inputMode="url"
                placeholder="https://xyz.supabase.co"
                {...text('supabaseUrl')}
              />
            </Field>
            <Field
              label="Anon key"
              help="Kept in this tab only: never saved, shared, exported or logged."
              error={errors['secrets.anonKey']}
            >
              <input type="password" autoComplete="off" {...text('anonKey')} />
            </Field>
          </>
        )}
        <div className="grid-4">
          <Field label="Scenario" error={errors['scenario']}>
            <select {...text('scenario')}>
              {benchmark.dataset.scenarios.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </Field>
          <Field label="Data seed" help="empty: the scenario's own" error={errors['seed']}>
            <input inputMode="numeric" {...text('seed')} />
          </Field>
        </div>
        <fieldset className="grid-scenarios">
          <legend className="small">Also queue scenarios (a grid)</legend>
          <div className="radios">
            {benchmark.dataset.scenarios
              .filter((s) => s !== draft.scenario)
              .map((s) => (
                <label key={s}>
                  <input
                    type="checkbox"
                    checked={draft.extraScenarios.includes(s)}
                    onChange={(e) =>
                      set('extraScenarios')(
                        e.target.checked
                          ? [...draft.extraScenarios, s]
                          : draft.extraScenarios.filter((x) => x !== s),
                      )
                    }
                  />
                  {s}
                </label>
              ))}
          </div>
        </fieldset>
      </fieldset>

      <fieldset>
        <legend>Trials and budgets</legend>
        <div className="grid-4">
          <Field label="Trials" help={TRIALS_HELP} error={errors['trials']}>
            <input inputMode="numeric" {...text('trials')} />
          </Field>
          <Field
            label="Max turns"
            help="model replies per trial"
            error={errors['budgets.max_turns']}
          >
            <input inputMode="numeric" {...text('maxTurns')} />
          </Field>
          <Field label="Time limit (s)" help="per trial" error={errors['budgets.time_limit_s']}>
            <input inputMode="numeric" {...text('timeLimit')} />
          </Field>
        </div>
      </fieldset>

      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={run}
          disabled={!ready || runner.unavailable !== null}
          aria-describedby="run-unavailable"
        >
          {isGrid && grid?.ok ? `Queue ${grid.cells} trials` : 'Run'}
        </button>
        <button type="button" onClick={share} disabled={!result.ok}>
          Make a link to these settings
        </button>
      </div>
      <p id="run-unavailable" className="muted small" role="note">
        {runner.unavailable ?? (result.ok ? '' : 'Fix the fields marked above to run.')}
      </p>
      {prestart && (
        <p className="muted small" data-testid="sandbox-prestart" data-state={prestart}>
          {PRESTART_TEXT[prestart]}
        </p>
      )}
      {errors['grid'] && (
        <p className="field-error" role="status">
          {errors['grid']}
        </p>
      )}
      {!result.ok && (
        <p className="field-error" role="status">
          {Object.keys(errors).length} field{Object.keys(errors).length > 1 ? 's need' : ' needs'}{' '}
          attention.
        </p>
      )}
      {runError && (
        <p className="error" role="alert">
          {runError}
        </p>
      )}
      {link && (
        <LinkField
          label="Benchmark link (no keys)"
          help="Opens this page with these settings filled in."
          value={link}
          testId="benchmark-link"
        />
      )}
    </form>
  );
}
