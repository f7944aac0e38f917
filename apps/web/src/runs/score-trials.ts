import type { ScoreTrial } from '@localds/scorer/score-stats';
import { z } from 'zod';
import type { RunRecord } from '../storage/run-record.js';
import { recordComparability } from './comparability.js';

/** The two facts of run.json a pair key needs (the rest of the file is not read here). */
const PairFactsSchema = z.object({
  trial_index: z.number().int().min(1).nullable().optional(),
  data: z.object({
    snapshot: z
      .object({
        source: z.union([
          z.object({ kind: z.literal('scenario'), seed: z.number().int() }),
          z.object({ kind: z.string() }),
        ]),
      })
      .nullable(),
  }),
});

/** The dataset seed and trial index of a record's run.json; nulls when it has none or it is unreadable. */
function pairFacts(run: RunRecord): { seed: number | null; trialIndex: number | null } {
  const bytes = run.files['run.json'];
  if (!(bytes instanceof Uint8Array)) return { seed: null, trialIndex: null };
  try {
    const parsed = PairFactsSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    if (!parsed.success) return { seed: null, trialIndex: null };
    const source = parsed.data.data.snapshot?.source;
    return {
      seed: source && 'seed' in source ? source.seed : null,
      trialIndex: parsed.data.trial_index ?? null,
    };
  } catch {
    return { seed: null, trialIndex: null };
  }
}

/**
 * A stored run as the statistics of scores read it (the page's twin of the CLI's
 * `scoreTrialOfRunJson`): the page's own scorecard and comparability, the seed and trial index from
 * run.json. A run without run.json that stopped early (the tab closed) is a harness failure; one
 * without run.json that finished (an imported folder of the article's harness) counts as done.
 */
export function scoreTrialOfRecord(run: RunRecord): ScoreTrial {
  return {
    runId: run.runId,
    model: { name: run.model.name, scripted: run.scripted },
    comparability: recordComparability(run),
    endReason: run.endReason ?? (run.state === 'partial' ? 'harness_error' : 'done'),
    ...pairFacts(run),
    pct: run.scorecard?.pct ?? null,
    checks: Object.fromEntries(
      Object.entries(run.scorecard?.checks ?? {})
        .filter(([, check]) => check.judged)
        .map(([id, check]) => [id, check.pass]),
    ),
  };
}
