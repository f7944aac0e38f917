/**
 * The run folders a report is made from: every folder holding a run.json under the paths given
 * (a run folder itself, or any folder of runs such as `runs/` or another machine's copy of it).
 * A run.json that does not parse is reported with its path and reason, never dropped silently.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { parsePythonJson, RunJsonSchema, type RunJson } from '@localds/scorer';

export interface CollectedRun {
  /** The folder as the report shows it: relative to the working directory. */
  dir: string;
  runJson: RunJson;
  /** The folder's top-level PNG files (the run's charts), by file name. */
  charts: { name: string; bytes: Uint8Array }[];
}

export interface CollectProblem {
  path: string;
  message: string;
}

async function runJsonFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new Error(`${path} does not exist`);
  if (info.isFile()) {
    if (path.endsWith('run.json')) return [resolve(path)];
    throw new Error(`${path} is a file; give a run folder or a folder of run folders`);
  }
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name === 'run.json')
    .map((e) => resolve(e.parentPath, e.name))
    .sort();
}

async function readRun(file: string): Promise<CollectedRun | CollectProblem> {
  const dir = dirname(file);
  const shown = relative(process.cwd(), dir) || '.';
  const parsed = parsePythonJson(await readFile(file, 'utf8'));
  if (!parsed.ok) return { path: shown, message: `run.json is not valid JSON: ${parsed.error}` };
  const result = RunJsonSchema.safeParse(parsed.value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    return {
      path: shown,
      message: `run.json does not match the schema at ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    };
  }
  const names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.png')).sort();
  const charts = await Promise.all(
    names.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(join(dir, name))) })),
  );
  return { dir: shown, runJson: result.data, charts };
}

/** Reads every run under `paths`; a folder reached twice (nested paths) counts once. */
export async function collectRuns(
  paths: readonly string[],
): Promise<{ runs: CollectedRun[]; problems: CollectProblem[] }> {
  const files = new Set<string>();
  for (const path of paths) for (const file of await runJsonFiles(path)) files.add(file);
  const runs: CollectedRun[] = [];
  const problems: CollectProblem[] = [];
  for (const file of files) {
    const read = await readRun(file);
    if ('runJson' in read) runs.push(read);
    else problems.push(read);
  }
  return { runs, problems };
}
