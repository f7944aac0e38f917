// What the harness tells the model after rendering its file: only what was seen (errors, refused
// requests, motion, coverage, size, the prompt's countable requirements), never the checks' points,
// so a revision answers the picture, not the grader.
import type { Observation, VisualRequirement } from '@localds/benchmarks';

const MAX_LISTED = 5;

const pct = (fraction: number) => `${Math.round(fraction * 100)}%`;
const size = (v: { width: number; height: number }) =>
  `${Math.round(v.width)}×${Math.round(v.height)}`;

function listed(items: string[]): string[] {
  const shown = items.slice(0, MAX_LISTED).map((i) => `    - ${i}`);
  if (items.length > MAX_LISTED) shown.push(`    - … and ${items.length - MAX_LISTED} more`);
  return shown;
}

/** How many consecutive pairs differ, out of how many pairs. */
function changes(values: readonly unknown[]): { changed: number; pairs: number } {
  let changed = 0;
  for (let i = 1; i < values.length; i++) if (values[i] !== values[i - 1]) changed++;
  return { changed, pairs: Math.max(0, values.length - 1) };
}

function motionLine(o: Observation): string {
  if (o.firstFrameMs === null) return '- Motion: no animation frame was ever requested.';
  const parts = [`the first animation frame came after ${Math.round(o.firstFrameMs)} ms`];
  const probe = changes(o.samples.map((s) => s.fingerprint));
  if (probe.pairs) {
    parts.push(`what is on screen changed between ${probe.changed} of ${probe.pairs} samples`);
  }
  if (o.screenshots) {
    const changed = o.screenshots.changed.filter(Boolean).length;
    parts.push(
      `${changed} of ${o.screenshots.changed.length} screenshots (every 0.5 s) differed from the one before`,
    );
  }
  return `- Motion: ${parts.join('; ')}.`;
}

function sizeLine(o: Observation): string | null {
  const last = o.samples.at(-1);
  if (!last) return null;
  const before =
    o.resizedAtMs === null ? undefined : o.samples.filter((s) => s.t < o.resizedAtMs!).at(-1);
  const head = `- Size: the largest visible element covers ${pct(
    (before ?? last).coverage,
  )} of the ${size((before ?? last).viewport)} viewport`;
  if (!before) return `${head}.`;
  return `${head}; after a resize to ${size(last.viewport)} it covers ${pct(last.coverage)}.`;
}

function requirementsLine(
  o: Observation,
  requirements: readonly VisualRequirement[],
): string | null {
  const last = o.samples.at(-1);
  if (!requirements.length || !last) return null;
  const seen = requirements.map((r) => {
    const value = last.requirements[r.id];
    if (value === undefined) return `"${r.label}": not measured`;
    return r.type === 'count'
      ? `"${r.label}": ${value} found`
      : `"${r.label}": the largest one covers ${pct(value)} of the viewport`;
  });
  return `- Requirements: ${seen.join('; ')}.`;
}

/** The sentences the harness answers a rendered file with. */
export function describeObservation(
  o: Observation,
  requirements: readonly VisualRequirement[],
): string {
  const lines = [
    `The harness rendered your index.html (${o.fileBytes.toLocaleString('en')} bytes) offline in a sandboxed frame. What it saw:`,
  ];
  if (!o.probeReady) {
    lines.push(
      '- The page never finished loading enough to be measured (its main thread was busy).',
    );
  }
  if (o.hung) {
    lines.push(
      '- The frame stopped answering and was torn down (an endless loop or runaway memory use?).',
    );
  }
  lines.push(
    o.scriptErrors.length
      ? `- Script errors (${o.scriptErrors.length}):`
      : '- Script errors: none.',
    ...listed(o.scriptErrors),
  );
  lines.push(
    o.blockedRequests.length
      ? `- Network: ${o.blockedRequests.length} request(s) were refused (the file is shown offline; nothing may be fetched):`
      : '- Network: no request was attempted.',
    ...listed(o.blockedRequests.map((r) => `${r.url} (${r.via})`)),
  );
  lines.push(motionLine(o));
  const sizeText = sizeLine(o);
  if (sizeText) lines.push(sizeText);
  const required = requirementsLine(o, requirements);
  if (required) lines.push(required);
  if (o.forgedMessages) {
    lines.push(`- ${o.forgedMessages} message(s) pretended to come from the harness's probe.`);
  }
  return lines.join('\n');
}

/** The whole feedback message: what was seen, then what the model may do next. */
export function feedbackMessage(
  o: Observation,
  requirements: readonly VisualRequirement[],
  turnsLeft: number,
  notes: readonly string[],
): string {
  const next =
    `You may revise the file (${turnsLeft} revision${turnsLeft === 1 ? '' : 's'} left): answer with the ` +
    'complete new index.html in the same form as before. If it is as you want it, answer without a file.';
  return [describeObservation(o, requirements), ...notes, '', next].join('\n');
}
