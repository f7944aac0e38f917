import { readPngSize } from '../png.js';
import type { RunFolder } from '../run-folder/read.js';
import { sha256Hex } from '../run-folder/snapshot.js';
import type { Trace, TraceFigure } from '../run-folder/trace.js';
import { CHART_FILES, type CheckOutcome } from './table.js';

/** The article's charts_exist: the three files exist, whatever their content. */
export function compatChartsExist(folder: RunFolder): CheckOutcome {
  const found = CHART_FILES.filter((c) => folder.files.has(c));
  if (found.length === 3) return { pass: true, detail: 'all 3 chart files present' };
  const missing = CHART_FILES.filter((c) => !folder.files.has(c));
  return { pass: false, detail: `found ${found.length}/3, missing: ${missing.join(', ')}` };
}

export const MIN_CHART_WIDTH = 200;
export const MIN_CHART_HEIGHT = 150;

/**
 * Full mode: each file is a valid PNG of at least 200×150 px that the run's code wrote: the trace
 * lists it, with the same sha256 as the file in the folder.
 */
export async function fullChartsExist(folder: RunFolder, trace: Trace): Promise<CheckOutcome> {
  const problems: string[] = [];
  for (const name of CHART_FILES) {
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
  return { pass: true, detail: "all 3 charts are PNGs ≥200×150 written by the run's code" };
}

const filled = (s: string | null) => s !== null && s.trim() !== '';

/**
 * Full mode: the figures saved as the three charts (all figures if none was matched to a file) each
 * have a title and both axis labels, as the sandbox read them. Null when the trace holds no labels,
 * so the caller falls back to the compat rule.
 */
export function traceChartsLabeled(trace: Trace): CheckOutcome | null {
  const readable = trace.figures.filter(
    (f) => f.title !== null || f.x_label !== null || f.y_label !== null,
  );
  if (!readable.length) return null;
  const saved = readable.filter((f) => CHART_FILES.some((c) => c === f.filename));
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
