import { readPngSize } from '../png.js';
import type { RunFolder } from '../run-folder/read.js';
import { sha256Hex } from '../run-folder/snapshot.js';
import type { Trace, TraceFigure } from '../run-folder/trace.js';
import type { RunJson } from '../run-folder/run-json.js';
import { notJudged, type CheckOutcome } from './table.js';

export const MIN_CHART_WIDTH = 200;
export const MIN_CHART_HEIGHT = 150;

/**
 * Full mode: each chart file is a valid PNG of at least 200×150 px that the run's code wrote: the trace
 * lists it, with the same sha256 as the file in the folder.
 */
export async function fullChartsExist(
  folder: RunFolder,
  trace: Trace,
  charts: readonly string[],
): Promise<CheckOutcome> {
  const problems: string[] = [];
  for (const name of charts) {
    const bytes = folder.files.get(name);
    if (!bytes) {
      problems.push(`${name} missing`);
      continue;
    }
    const hash = await sha256Hex(bytes);
    const png = readPngSize(bytes);
    if (!png.ok) problems.push(`${name} is not a valid PNG (${png.error})`);
    else if (png.width < MIN_CHART_WIDTH || png.height < MIN_CHART_HEIGHT) {
      problems.push(
        `${name} is ${png.width}×${png.height}, below ${MIN_CHART_WIDTH}×${MIN_CHART_HEIGHT}`,
      );
    }
    const written = trace.files.filter((f) => f.name === name);
    if (!written.length) problems.push(`${name} was not written by the run's code`);
    else if (!written.some((f) => f.sha256 === hash)) {
      problems.push(`${name} is not the file the run's code wrote (sha256 differs)`);
    }
  }
  if (problems.length) return { pass: false, detail: problems.join('; ') };
  return {
    pass: true,
    detail: `all ${charts.length} charts are PNGs ≥200×150 written by the run's code`,
  };
}

const filled = (s: string | null) => s !== null && s.trim() !== '';

/** Whether matplotlib could have recorded figures in this run, or why it could not. */
function matplotlibAbsence(run: Pick<RunJson, 'environment'>, trace: Trace): string | null {
  const env = run.environment;
  if (env?.packages === 'stdlib-only') {
    return 'the run had the standard library only (no matplotlib), so no figure labels could be recorded';
  }
  if (env && !env.loaded.includes('matplotlib')) {
    return "matplotlib was not loaded in the run's environment, so no figure labels could be recorded";
  }
  const missing = trace.cells.find(
    (c) => c.error?.name === 'ModuleNotFoundError' && /matplotlib/.test(c.error.message),
  );
  if (missing && !trace.figures.length) {
    return `matplotlib was not importable in this run (cell ${missing.index}: ${missing.error!.message}), so no figure labels could be recorded`;
  }
  return null;
}

/**
 * Full mode's charts_labeled, from the figure labels the sandbox's matplotlib hook recorded, never from
 * the code: the figures saved as the benchmark's charts (all figures if none was matched to a file) each have
 * a title and both axis labels. Not judged where no labels could be recorded (no matplotlib, labels
 * unreadable, or no figure in a run that does not record its environment); failed where matplotlib was
 * loaded and no figure was drawn with it.
 */
export function fullChartsLabeled(
  run: Pick<RunJson, 'environment'>,
  trace: Trace,
  charts: readonly string[],
): CheckOutcome {
  const absent = matplotlibAbsence(run, trace);
  if (absent) return notJudged(absent);
  if (!trace.figures.length) {
    // Absent only on runs from before the package preflight: nothing says matplotlib was there.
    if (!run.environment) {
      return notJudged(
        'the trace records no matplotlib figure and run.json does not record whether matplotlib was loaded',
      );
    }
    return { pass: false, detail: 'the trace records no matplotlib figure, so no chart labels' };
  }
  const readable = trace.figures.filter(
    (f) => f.title !== null || f.x_label !== null || f.y_label !== null,
  );
  if (!readable.length) return notJudged("the sandbox could not read the figures' labels");
  const saved = readable.filter((f) => charts.some((c) => c === f.filename));
  const judged = saved.length ? saved : readable;
  const unlabeled = judged.filter(
    (f) => !(filled(f.title) && filled(f.x_label) && filled(f.y_label)),
  );
  if (!unlabeled.length) {
    return {
      pass: true,
      detail: `${judged.length} figure(s) with title, x label and y label (trace)`,
    };
  }
  return { pass: false, detail: unlabeled.map(describeMissing).join('; ') };
}

function describeMissing(f: TraceFigure): string {
  const missing = [
    !filled(f.title) && 'title',
    !filled(f.x_label) && 'x label',
    !filled(f.y_label) && 'y label',
  ].filter(Boolean);
  return `${f.filename ?? `figure of cell ${f.cell}`} has no ${missing.join(', ')}`;
}
