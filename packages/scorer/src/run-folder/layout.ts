/** Run folders live at `runs/<benchmark>/<model-slug>/<run-id>/` (the article's layout). */

/** A path-safe, lowercase slug of a model name: `Qwen3-4B q4f16_1` → `qwen3-4b-q4f16-1`. */
export function modelSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '');
  if (!slug) throw new Error(`model name ${JSON.stringify(name)} has no letters or digits to slug`);
  return slug;
}

function segment(kind: string, value: string): string {
  if (!value || value === '.' || value === '..' || /[/\\\0]/.test(value)) {
    throw new Error(`${kind} ${JSON.stringify(value)} cannot be a folder name`);
  }
  return value;
}

/** The run folder's path relative to the repository (or data) root, with `/` separators. */
export function runFolderPath(benchmark: string, slug: string, runId: string): string {
  return [
    'runs',
    segment('benchmark', benchmark),
    segment('model slug', slug),
    segment('run id', runId),
  ].join('/');
}
