// Shared by the run-*.test.ts files: running `localds run` and reading the run folder it wrote.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RunJsonSchema, type RunJson } from '@localds/scorer';
import { expect } from 'vitest';
import { type CliResult, localds, REPO_ROOT } from './helpers/stack.js';

export interface RunOutcome {
  cli: CliResult;
  dir: string;
  runJson: RunJson;
  files: Map<string, Buffer>;
}

/** Every file under `dir`, by relative path. */
export function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

/** The run folder the CLI named on its last `-> <dir>` line. */
export function folderOf(stdout: string): string {
  const dirs = [...stdout.matchAll(/ -> (\S+)$/gm)].map((m) => m[1]!);
  expect(dirs.length, `no run folder in the output:\n${stdout}`).toBeGreaterThan(0);
  return dirs.at(-1)!;
}

/** `localds run …`; the run folder it wrote, parsed. */
export async function localdsRun(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunOutcome> {
  const cli = await localds(['run', ...args], env);
  expect(cli.code, `localds run failed:\n${cli.stderr}\n${cli.stdout}`).toBe(0);
  const dir = folderOf(cli.stdout);
  const files = readTree(dir);
  const runJson = RunJsonSchema.parse(JSON.parse(files.get('run.json')!.toString('utf8')));
  return { cli, dir, runJson, files };
}

/** A scorecard's failed checks, by id, with their details (for readable assertion messages). */
export function failedChecks(runJson: RunJson): Record<string, string> {
  const checks: Record<string, { pass: boolean; judged: boolean; detail: string }> =
    runJson.scorecard?.checks ?? {};
  return Object.fromEntries(
    Object.entries(checks)
      // A check that could not be judged did not fail (it is asserted where it matters).
      .filter(([, c]) => c.judged && !c.pass)
      .map(([id, c]) => [id, c.detail]),
  );
}

/** A replay file's JSON: one response per entry. */
export function replayJson(responses: string[]): string {
  return `${JSON.stringify({ responses })}\n`;
}

export const fence = (code: string) => `\`\`\`python\n${code}\n\`\`\``;

/**
 * The reference notebook as a model's turns would carry it: each code cell with the markdown
 * before it; `tail` is the markdown after the last code cell.
 */
export function referenceSections(): {
  sections: { prose: string[]; code: string }[];
  tail: string[];
} {
  const notebook = JSON.parse(
    readFileSync(
      join(REPO_ROOT, 'packages/benchmarks/src/ab-test-analysis/reference/ab-test-analysis.ipynb'),
      'utf8',
    ),
  ) as { cells: { cell_type: string; source: string | string[] }[] };
  const sections: { prose: string[]; code: string }[] = [];
  let prose: string[] = [];
  for (const cell of notebook.cells) {
    const text = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    if (cell.cell_type === 'markdown') prose.push(text);
    else if (cell.cell_type === 'code') {
      sections.push({ prose, code: text });
      prose = [];
    }
  }
  return { sections, tail: prose };
}
