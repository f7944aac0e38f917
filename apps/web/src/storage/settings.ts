import { z } from 'zod';

/** Page settings kept in this browser (localStorage), validated on read and on save. */
export const DEFAULT_PYODIDE_INDEX_URL = 'https://cdn.jsdelivr.net/pyodide/v314.0.7/full/';

const BaseUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .refine((url) => url.endsWith('/'), 'must end with “/” (it is a folder)');

export const SettingsSchema = z.object({
  /** Where Pyodide loads numpy, pandas, scipy, matplotlib from: the CDN or a self-hosted copy. */
  pyodideIndexUrl: BaseUrl,
  /** Base URL WebLLM model weights and libraries are fetched from; empty means WebLLM's defaults. */
  webllmModelBase: z.union([z.literal(''), BaseUrl]),
  /**
   * Run without the benchmark's packages: model code gets the standard library only, the task says so,
   * and such runs are scored in a group of their own. The only way to run without the packages (absent
   * in settings saved by older pages: off).
   */
  stdlibOnly: z.boolean().default(false),
  /**
   * Start the Python sandbox (and load its packages) while the benchmark page is open, so that Run
   * does not wait for it; off: each run starts its own when it begins (absent in older settings: on).
   */
  prestartSandbox: z.boolean().default(true),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  pyodideIndexUrl: DEFAULT_PYODIDE_INDEX_URL,
  webllmModelBase: '',
  stdlibOnly: false,
  prestartSandbox: true,
};

const KEY = 'localds.settings.v1';

/** The stored settings, or the defaults when none are stored or the stored ones are invalid. */
export function loadSettings(): Settings {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return DEFAULT_SETTINGS;
    const parsed = SettingsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : DEFAULT_SETTINGS;
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export function saveSettings(settings: Settings): void {
  localStorage.setItem(KEY, JSON.stringify(SettingsSchema.parse(settings)));
}
