import type { VisualBenchmark, VisualRequirement } from './definition.js';
import { externalUrlsIn } from './external-urls.js';
import type { Observation, ProbeSample } from './observation.js';

/**
 * The visual checks, 100 points, each with a detail that says what was seen. One function scores a file
 * from its observation, for the page, `localds run` and `localds score` alike.
 */
export const VISUAL_CHECKS = [
  { id: 'self_contained', label: 'Self-contained: no external URL, no request attempted', max: 15 },
  { id: 'no_script_errors', label: 'Loads without script errors', max: 15 },
  { id: 'animates', label: 'Animates: frames keep changing, not a single transition', max: 25 },
  { id: 'fills_viewport', label: 'Fills the viewport and survives a resize', max: 15 },
  { id: 'renders_in_time', label: 'First frame within the time budget', max: 10 },
  { id: 'file_size', label: 'File size within the limit', max: 5 },
  { id: 'requirements', label: "The prompt's machine-checkable requirements", max: 15 },
] as const;
export type VisualCheckId = (typeof VISUAL_CHECKS)[number]['id'];

export interface VisualCheckOutcome {
  id: VisualCheckId;
  /** Points earned; null when the check could not judge (say why in detail). */
  points: number | null;
  max: number;
  passed: boolean | null;
  detail: string;
}

export interface VisualScore {
  benchmark: { id: string; version: string };
  /** Sum of judged points over the sum of judged maxima, 0–100; null when nothing could be judged. */
  score: number | null;
  checks: VisualCheckOutcome[];
  /** Set when the observation records an environment error: no check is judged, it is not the model's score. */
  environmentError: string | null;
}

/** Coverage a sample must reach before and after the resize for `fills_viewport`. */
export const MIN_COVERAGE = 0.9;
/** Share of consecutive same-size sample pairs that must differ, overall and in the second half. */
export const MIN_CHANGING_SHARE = 0.6;
/** Requirements are judged on samples from this time on (the file has had a moment to set up). */
const SETTLED_MS = 1000;
const HUNG = 'the frame stopped responding';

type Judged = Omit<VisualCheckOutcome, 'max'>;

/** Scores one file from its observation: the same function for the page, `localds run` and `localds score`. */
export function scoreVisual(
  benchmark: VisualBenchmark,
  html: string,
  observation: Observation,
): VisualScore {
  const id = { id: benchmark.id, version: benchmark.version };
  if (observation.environmentError !== null) {
    return {
      benchmark: id,
      score: null,
      environmentError: observation.environmentError,
      checks: VISUAL_CHECKS.map((c) => ({
        id: c.id,
        points: null,
        max: c.max,
        passed: null,
        detail: `not judged: ${observation.environmentError}`,
      })),
    };
  }
  const judged: Record<VisualCheckId, (max: number) => Judged> = {
    self_contained: (max) => selfContained(html, observation, max),
    no_script_errors: (max) => noScriptErrors(observation, max),
    animates: (max) => animates(observation, max),
    fills_viewport: (max) => fillsViewport(observation, max),
    renders_in_time: (max) => rendersInTime(observation, benchmark.limits.renderBudgetMs, max),
    file_size: (max) => fileSize(html, benchmark.limits.maxFileBytes, max),
    requirements: (max) => requirementsMet(benchmark.requirements, observation, max),
  };
  const checks = VISUAL_CHECKS.map((c) => ({ ...judged[c.id](c.max), max: c.max }));
  const counted = checks.filter((c) => c.points !== null);
  const maxSum = counted.reduce((sum, c) => sum + c.max, 0);
  const score =
    maxSum === 0
      ? null
      : Math.round((counted.reduce((sum, c) => sum + (c.points ?? 0), 0) / maxSum) * 1000) / 10;
  return { benchmark: id, score, checks, environmentError: null };
}

function pass(id: VisualCheckId, ok: boolean, max: number, detail: string): Judged {
  return { id, points: ok ? max : 0, passed: ok, detail };
}

function list(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

function selfContained(html: string, o: Observation, max: number): Judged {
  const urls = externalUrlsIn(html);
  const requests = o.blockedRequests.map((r) => `${r.url || '(unnamed)'} (${r.via})`);
  const problems: string[] = [];
  if (urls.length) problems.push(`the file refers to ${list(urls)}`);
  if (requests.length)
    problems.push(`it tried ${requests.length} blocked request(s): ${list(requests)}`);
  if (problems.length) return pass('self_contained', false, max, problems.join('; '));
  return pass('self_contained', true, max, 'no external URL in the file and no request attempted');
}

function noScriptErrors(o: Observation, max: number): Judged {
  if (o.scriptErrors.length) {
    return pass(
      'no_script_errors',
      false,
      max,
      `${o.scriptErrors.length} script error(s): ${list(o.scriptErrors, 2)}`,
    );
  }
  const note = o.hung ? ' before the frame stopped responding' : '';
  return pass('no_script_errors', true, max, `no uncaught error or unhandled rejection${note}`);
}

/** Consecutive sample pairs of the same viewport (the resize itself is not motion), and which differ. */
function changes(samples: readonly ProbeSample[]): { t: number; changed: boolean }[] {
  const pairs: { t: number; changed: boolean }[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    if (a.viewport.width !== b.viewport.width || a.viewport.height !== b.viewport.height) continue;
    pairs.push({ t: b.t, changed: a.fingerprint !== b.fingerprint });
  }
  return pairs;
}

function animates(o: Observation, max: number): Judged {
  if (o.hung) return pass('animates', false, max, HUNG);
  const pairs = changes(o.samples);
  if (pairs.length < 4) {
    return pass(
      'animates',
      false,
      max,
      `only ${o.samples.length} sample(s) of the screen came back`,
    );
  }
  const first = o.samples[0]!.t;
  const last = o.samples[o.samples.length - 1]!.t;
  const mid = (first + last) / 2;
  const share = (ps: typeof pairs) =>
    ps.length ? ps.filter((p) => p.changed).length / ps.length : 0;
  const all = share(pairs);
  const late = pairs.filter((p) => p.t > mid);
  const secondHalf = share(late);
  const seen = `the screen changed in ${pairs.filter((p) => p.changed).length} of ${pairs.length} half-second steps (${late.filter((p) => p.changed).length} of ${late.length} in the second half)`;
  if (all < MIN_CHANGING_SHARE || secondHalf < MIN_CHANGING_SHARE) {
    const why =
      all === 0 ? 'nothing moved' : secondHalf === 0 ? 'the motion stopped' : 'too little motion';
    return pass('animates', false, max, `${why}: ${seen}`);
  }
  if (o.screenshots && o.screenshots.count > 1) {
    const shotChanges = o.screenshots.changed.filter(Boolean).length;
    // One change may be the resize; a moving file changes nearly every time.
    if (shotChanges <= 1) {
      return pass(
        'animates',
        false,
        max,
        `probe contradicted: the probe saw motion (${seen}) but ${shotChanges} of ${o.screenshots.changed.length} screenshots differed from the one before`,
      );
    }
  }
  return pass('animates', true, max, seen);
}

function fillsViewport(o: Observation, max: number): Judged {
  if (!o.samples.length)
    return pass('fills_viewport', false, max, o.hung ? HUNG : 'no sample came back');
  const firstVp = o.samples[0]!.viewport;
  const same = (s: ProbeSample) =>
    s.viewport.width === firstVp.width && s.viewport.height === firstVp.height;
  const before = o.samples.filter(same);
  const after = o.samples.filter((s) => !same(s));
  const size = (s: ProbeSample) => `${s.viewport.width}×${s.viewport.height}`;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const lastBefore = before[before.length - 1]!;
  const lastAfter = after[after.length - 1];
  if (!lastAfter) {
    const why = o.hung ? HUNG : 'no sample after the resize';
    return pass(
      'fills_viewport',
      false,
      max,
      `${why}; ${pct(lastBefore.coverage)} of ${size(lastBefore)} covered before it`,
    );
  }
  const ok = lastBefore.coverage >= MIN_COVERAGE && lastAfter.coverage >= MIN_COVERAGE;
  return pass(
    'fills_viewport',
    ok,
    max,
    `${pct(lastBefore.coverage)} of ${size(lastBefore)} covered before the resize, ${pct(lastAfter.coverage)} of ${size(lastAfter)} after (needs ${pct(MIN_COVERAGE)})`,
  );
}

function rendersInTime(o: Observation, budgetMs: number, max: number): Judged {
  if (o.hung) return pass('renders_in_time', false, max, HUNG);
  if (o.firstFrameMs === null)
    return pass('renders_in_time', false, max, 'no frame was ever drawn');
  const ms = Math.round(o.firstFrameMs);
  return pass(
    'renders_in_time',
    o.firstFrameMs <= budgetMs,
    max,
    `first frame after ${ms} ms (budget ${budgetMs} ms)`,
  );
}

function fileSize(html: string, limit: number, max: number): Judged {
  const bytes = new TextEncoder().encode(html).length;
  const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;
  return pass('file_size', bytes <= limit, max, `${kb(bytes)} (limit ${kb(limit)})`);
}

function requirementsMet(
  requirements: readonly VisualRequirement[],
  o: Observation,
  max: number,
): Judged {
  if (!requirements.length) return pass('requirements', true, max, 'this prompt has none');
  const settled = o.samples.filter((s) => s.t >= SETTLED_MS);
  const judgedOn = settled.length ? settled : o.samples.slice(-1);
  const share = max / requirements.length;
  let points = 0;
  const details = requirements.map((r) => {
    const values = judgedOn.map((s) => s.requirements[r.id] ?? 0);
    // "At any moment": the lowest value seen once the file has settled.
    const seen = values.length ? Math.min(...values) : null;
    const needed = r.type === 'count' ? r.min : (r.minArea ?? 0.25);
    const ok = seen !== null && seen >= needed;
    if (ok) points += share;
    const shown =
      seen === null
        ? 'nothing seen'
        : r.type === 'count'
          ? `${seen} found`
          : `${Math.round(seen * 100)}% of the viewport`;
    return `${r.label}: ${ok ? 'yes' : 'no'} (${shown})`;
  });
  const note = o.hung && !o.samples.length ? ` (${HUNG})` : '';
  return {
    id: 'requirements',
    points: Math.round(points * 100) / 100,
    passed: points >= max - 1e-9,
    detail: details.join('; ') + note,
  };
}
