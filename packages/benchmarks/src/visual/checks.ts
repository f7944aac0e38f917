import type { VisualBenchmark } from './definition.js';
import type { Observation } from './observation.js';

/**
 * The visual checks, 100 points, each with a detail that says what was seen. One function scores a file
 * from its observation, for the page, `localds run` and `localds score` alike.
 * CONTRACT (session 5): the ids and points are fixed here; the implementation is vcore's.
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

/** CONTRACT placeholder: vcore replaces this with the real checks. */
export function scoreVisual(
  benchmark: VisualBenchmark,
  html: string,
  observation: Observation,
): VisualScore {
  void [benchmark, html, observation];
  throw new Error('scoreVisual: not implemented yet (contract branch)');
}
