import { useState } from 'react';
import { Field } from '../components/Field.js';
import {
  DEFAULT_SETTINGS,
  loadSettings,
  saveSettings,
  SettingsSchema,
  type Settings as SettingsValues,
} from '../storage/settings.js';

export function Settings() {
  const [values, setValues] = useState<SettingsValues>(loadSettings);
  const [saved, setSaved] = useState(false);
  const parsed = SettingsSchema.safeParse(values);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
  const set =
    (key: 'pyodideIndexUrl' | 'webllmModelBase') => (e: { target: { value: string } }) => {
      setValues((v) => ({ ...v, [key]: e.target.value.trim() }));
      setSaved(false);
    };
  const toggle = (key: 'stdlibOnly' | 'prestartSandbox') => ({
    checked: values[key],
    onChange: (e: { target: { checked: boolean } }) => {
      setValues((v) => ({ ...v, [key]: e.target.checked }));
      setSaved(false);
    },
  });
  return (
    <form
      className="settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!parsed.success) return;
        saveSettings(parsed.data);
        setSaved(true);
      }}
    >
      <h1>Settings</h1>
      <p className="small">
        Kept in this browser (localStorage). For air-gapped use, point both at your own copies.
      </p>
      <Field
        label="Pyodide package index URL"
        help="Where numpy, pandas, scipy and matplotlib load from: the CDN or a self-hosted copy of the Pyodide release (same version)."
        error={errors.pyodideIndexUrl}
      >
        <input type="url" value={values.pyodideIndexUrl} onChange={set('pyodideIndexUrl')} />
      </Field>
      <Field
        label="Standard library only"
        help="Run without the benchmark's packages (pandas, scipy, matplotlib, requests): the model is told it has the Python standard library only, and such runs are kept in a leaderboard group of their own. Use it when the package index cannot be reached."
      >
        <input type="checkbox" {...toggle('stdlibOnly')} />
      </Field>
      <Field
        label="Start the Python sandbox before Run"
        help="While a benchmark page is open, start Pyodide and load the packages a run will need (from the index above), so the run's first cell does not wait for them. Each run still gets a sandbox of its own."
      >
        <input type="checkbox" {...toggle('prestartSandbox')} />
      </Field>
      <Field
        label="WebLLM model URL base (optional)"
        help="Base URL of self-hosted model weights and libraries; empty uses WebLLM's defaults (Hugging Face and GitHub)."
        error={errors.webllmModelBase}
      >
        <input type="url" value={values.webllmModelBase} onChange={set('webllmModelBase')} />
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={!parsed.success}>
          Save
        </button>
        <button
          type="button"
          onClick={() => {
            setValues(DEFAULT_SETTINGS);
            setSaved(false);
          }}
        >
          Restore defaults
        </button>
      </div>
      <p role="status" className="small">
        {saved ? 'Saved.' : ''}
      </p>
    </form>
  );
}
