import { RUN_FOLDER_LIMITS, tooLargeReason, type RefusedFile } from './limits.js';
import { parsePythonJson, type PyJsonResult } from './python-json.js';
import { NotebookSchema, type Notebook } from './notebook.js';
import { redactSecrets } from './redact.js';
import { RunJsonSchema, type RunJson } from './run-json.js';

/** A run folder in memory: relative path (with `/`) → bytes. The same in browsers and Node. */
export type RunFolderFiles = Map<string, Uint8Array>;

/** A JSON file as read: its text (null when not UTF-8) and the Python-style parse of it. */
export interface JsonFile {
  text: string | null;
  json: PyJsonResult;
}

export interface RunFolder {
  /** The files after the import rules (supabase.json dropped, keys redacted). */
  files: RunFolderFiles;
  summary: JsonFile | null;
  notebook: (JsonFile & { notebook: Notebook | null; error: string | null }) | null;
  /** Top-level `*.py` files, sorted (the article's fallback when the notebook is missing). */
  pythonFiles: string[];
  /** Top-level `*.png` files. */
  pngs: Map<string, Uint8Array>;
  runJson: { ok: true; value: RunJson } | { ok: false; error: string } | null;
  /** What the article's own harness writes; kept for display, not scored. */
  article: { metadata: unknown; prompt: string | null; responseRaw: string | null };
  /** Files dropped on import (supabase.json holds a key). */
  dropped: string[];
  /** Files in which a key was found and redacted. */
  redacted: string[];
  /**
   * Files that were not read: symlinks, FIFOs, devices (on disk or in a zip), files over the size cap.
   * A refused summary.json is reported as refused, not as missing.
   */
  refused: RefusedFile[];
}

// Python's read_text("utf8") keeps a BOM (json.loads then rejects it) and fails on invalid UTF-8.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

function readJsonFile(bytes: Uint8Array | undefined): JsonFile | null {
  if (!bytes) return null;
  const text = decodeUtf8(bytes);
  return {
    text,
    json: text === null ? { ok: false, error: 'not valid UTF-8' } : parsePythonJson(text),
  };
}

function readRunJson(bytes: Uint8Array | undefined): RunFolder['runJson'] {
  const file = readJsonFile(bytes);
  if (!file) return null;
  if (!file.json.ok) return { ok: false, error: `run.json: ${file.json.error}` };
  const parsed = RunJsonSchema.safeParse(file.json.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, error: `run.json: ${issue?.path.join('.') || '(root)'}: ${issue?.message}` };
}

/**
 * Applies the import rules and parses what the scorer needs. Never throws on bad content. `refused`:
 * what the reader of the files (disk, zip) already refused; files over the size cap are added here.
 */
export function readRunFolderFiles(
  input: RunFolderFiles,
  refusedOnRead: readonly RefusedFile[] = [],
): RunFolder {
  const files: RunFolderFiles = new Map();
  const dropped: string[] = [];
  const redacted: string[] = [];
  const refused = refusedOnRead.map((r) => ({ ...r, path: normalisePath(r.path) }));
  for (const [rawPath, bytes] of input) {
    const path = normalisePath(rawPath);
    if (bytes.length > RUN_FOLDER_LIMITS.maxFileBytes) {
      refused.push({ path, reason: tooLargeReason(bytes.length) });
      continue;
    }
    if (path.split('/').pop() === 'supabase.json') {
      dropped.push(path);
      continue;
    }
    const text = decodeUtf8(bytes);
    const clean = text === null || text.includes('\0') ? text : redactSecrets(text);
    if (text !== null && clean !== null && clean !== text) {
      redacted.push(path);
      files.set(path, encoder.encode(clean));
    } else files.set(path, bytes);
  }

  const topLevel = [...files.keys()].filter((p) => !p.includes('/')).sort();
  const notebookFile = readJsonFile(files.get('analysis.ipynb'));
  let notebook: RunFolder['notebook'] = null;
  if (notebookFile) {
    const parsed = notebookFile.json.ok ? NotebookSchema.safeParse(notebookFile.json.value) : null;
    notebook = {
      ...notebookFile,
      notebook: parsed?.success ? parsed.data : null,
      error: !notebookFile.json.ok
        ? notebookFile.json.error
        : parsed?.success
          ? null
          : `not an nbformat 4 notebook: ${parsed?.error.issues[0]?.message}`,
    };
  }
  const text = (name: string) => {
    const bytes = files.get(name);
    return bytes ? decodeUtf8(bytes) : null;
  };
  const metadata = readJsonFile(files.get('metadata.json'));

  return {
    files,
    summary: readJsonFile(files.get('summary.json')),
    notebook,
    pythonFiles: topLevel.filter((p) => p.endsWith('.py')),
    pngs: new Map(topLevel.filter((p) => p.endsWith('.png')).map((p) => [p, files.get(p)!])),
    runJson: readRunJson(files.get('run.json')),
    article: {
      metadata: metadata?.json.ok ? metadata.json.value : null,
      prompt: text('prompt.md'),
      responseRaw: text('response.raw.txt'),
    },
    dropped,
    redacted,
    refused,
  };
}
