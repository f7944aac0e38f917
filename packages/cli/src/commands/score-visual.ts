// `localds score <folder>` for a visual run folder: the final file and what its render saw, scored by
// the same scoreVisual the page and `localds run` use, so one folder has one score everywhere.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  getVisualBenchmark,
  isVisualRunJson,
  readVisualRunFolder,
  scoreVisual,
  VISUAL_RUN_FILES,
  type VisualScore,
} from '@localds/benchmarks';

/** True when the folder's run.json says it is a visual run (an unreadable one is not: the caller reports it). */
export async function isVisualFolder(dir: string): Promise<boolean> {
  try {
    return isVisualRunJson(JSON.parse(await readFile(join(dir, VISUAL_RUN_FILES.runJson), 'utf8')));
  } catch {
    return false;
  }
}

/** Scores a visual run folder; `warn` hears about a benchmark version that moved on since the run. */
export async function scoreVisualFolder(
  dir: string,
  warn: (line: string) => void,
): Promise<VisualScore> {
  const files = new Map<string, Uint8Array>();
  for (const name of [
    VISUAL_RUN_FILES.runJson,
    VISUAL_RUN_FILES.html,
    VISUAL_RUN_FILES.observation,
  ]) {
    const bytes = await readFile(join(dir, name)).catch(() => null);
    if (bytes) files.set(name, bytes);
  }
  let folder: ReturnType<typeof readVisualRunFolder>;
  try {
    folder = readVisualRunFolder(files);
  } catch (error) {
    throw new Error(`${dir}: ${(error as Error).message}`, { cause: error });
  }
  const benchmark = getVisualBenchmark(folder.runJson.benchmark.id);
  if (benchmark.version !== folder.runJson.benchmark.version) {
    warn(
      `the run was made on ${benchmark.id} ${folder.runJson.benchmark.version}; it is scored with ${benchmark.version}'s checks`,
    );
  }
  return scoreVisual(benchmark, folder.html, folder.observation);
}

/** A visual score, one line per check, as `localds score --format text` prints it. */
export function formatVisualScoreText(score: VisualScore): string {
  const lines = [
    score.environmentError
      ? `Not scored: an environment error (${score.environmentError}), not the model's`
      : `Score ${score.score ?? '–'}/100 on ${score.benchmark.id} ${score.benchmark.version}`,
    '',
  ];
  const width = Math.max(...score.checks.map((c) => c.id.length));
  for (const c of score.checks) {
    const mark = c.passed === null ? 'N/J ' : c.passed ? 'PASS' : 'FAIL';
    const points = `${c.points ?? '–'}/${c.max}`.padStart(5);
    lines.push(`  ${mark}  ${c.id.padEnd(width)}  ${points}  ${c.detail}`);
  }
  return `${lines.join('\n')}\n`;
}
