import { z } from 'zod';
import type { VisualRunRecord } from '../storage/visual-record.js';
import { arenaModel } from './contestant.js';

/** The part of a stored VisualScore this reads (the record keeps it as unknown). */
const ScorePartSchema = z.looseObject({
  score: z.number().nullable(),
  environmentError: z.string().nullable(),
});

export interface CheckScoreSummary {
  /** Mean check score (0–100) over the runs that were judged. */
  mean: number;
  runs: number;
}

/**
 * Mean check score per model (by arena label) for one prompt: runs with a judged score only; a run
 * lost to an environment failure is not the model's score and is left out.
 */
export function checkScoresByModel(
  runs: readonly VisualRunRecord[],
  benchmark: string,
): Map<string, CheckScoreSummary> {
  const sums = new Map<string, { total: number; runs: number }>();
  for (const run of runs) {
    if (run.benchmark.id !== benchmark) continue;
    const parsed = ScorePartSchema.safeParse(run.score);
    if (!parsed.success || parsed.data.score === null || parsed.data.environmentError !== null)
      continue;
    const model = arenaModel({ model: run.model.name, scripted: run.scripted });
    const sum = sums.get(model) ?? { total: 0, runs: 0 };
    sum.total += parsed.data.score;
    sum.runs += 1;
    sums.set(model, sum);
  }
  return new Map([...sums].map(([m, s]) => [m, { mean: s.total / s.runs, runs: s.runs }]));
}
